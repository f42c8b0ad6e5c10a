/* SPDX-License-Identifier: MIT */
/*
 * drm/spsc_queue.h - the scheduler entity's lock-free single-producer,
 * single-consumer job queue, as mainline's. The producer is the submitter
 * (arm and push serialised by the driver), the consumer the run-job work.
 * No scheduling points inside: the queue is not where the interleavings the
 * bench explores live; the locks and work items around it are.
 */
#ifndef DRM_SCHEDULER_SPSC_QUEUE_H_
#define DRM_SCHEDULER_SPSC_QUEUE_H_

#include <linux/types.h>
#include <linux/compiler.h>

/* One element of the queue. */
struct spsc_node {
	struct spsc_node *next;
};

struct spsc_queue {
	struct spsc_node *head;
	/* atomic pointer to struct spsc_node* */
	struct spsc_node **tail;
	int job_count;
};

static inline void spsc_queue_init(struct spsc_queue *queue)
{
	queue->head = NULL;
	__atomic_store_n(&queue->tail, &queue->head, __ATOMIC_SEQ_CST);
	__atomic_store_n(&queue->job_count, 0, __ATOMIC_SEQ_CST);
}

static inline struct spsc_node *spsc_queue_peek(struct spsc_queue *queue)
{
	return __atomic_load_n(&queue->head, __ATOMIC_ACQUIRE);
}

static inline int spsc_queue_count(struct spsc_queue *queue)
{
	return __atomic_load_n(&queue->job_count, __ATOMIC_SEQ_CST);
}

/* Returns true if the queue was empty: the first job wakes the scheduler. */
static inline bool spsc_queue_push(struct spsc_queue *queue, struct spsc_node *node)
{
	struct spsc_node **tail;

	node->next = NULL;
	__atomic_add_fetch(&queue->job_count, 1, __ATOMIC_SEQ_CST);
	tail = __atomic_exchange_n(&queue->tail, &node->next, __ATOMIC_SEQ_CST);
	__atomic_store_n(tail, node, __ATOMIC_RELEASE);
	return tail == &queue->head;
}

static inline struct spsc_node *spsc_queue_pop(struct spsc_queue *queue)
{
	struct spsc_node *next, *node;

	node = __atomic_load_n(&queue->head, __ATOMIC_ACQUIRE);
	if (!node)
		return NULL;

	next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE);
	__atomic_store_n(&queue->head, next, __ATOMIC_RELEASE);

	if (unlikely(!next)) {
		struct spsc_node **expected = &node->next;

		/* slowpath for the last element in the queue */
		if (!__atomic_compare_exchange_n(&queue->tail, &expected, &queue->head, false,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			/* A push is between its exchange and its store: a few instructions */
			do {
				next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE);
			} while (unlikely(!next));
			__atomic_store_n(&queue->head, next, __ATOMIC_RELEASE);
		}
	}

	__atomic_sub_fetch(&queue->job_count, 1, __ATOMIC_SEQ_CST);
	return node;
}

#endif /* DRM_SCHEDULER_SPSC_QUEUE_H_ */

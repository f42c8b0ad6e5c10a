/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Arm Ethos-U NPU: device state and the register map the job code programs.
 * Offsets and bit values are the hardware's.
 */

#ifndef __ETHOSU_DEVICE_H__
#define __ETHOSU_DEVICE_H__

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/types.h>

#include <drm/drm_device.h>
#include <drm/gpu_scheduler.h>

#include <drm/ethosu_accel.h>

struct clk_bulk_data;
struct gen_pool;
struct ethosu_job;

#define NPU_REG_ID		0x0000
#define NPU_REG_STATUS		0x0004
#define NPU_REG_CMD		0x0008
#define NPU_REG_RESET		0x000c
#define NPU_REG_QBASE		0x0010
#define NPU_REG_QBASE_HI	0x0014
#define NPU_REG_QREAD		0x0018
#define NPU_REG_QCONFIG		0x001c
#define NPU_REG_QSIZE		0x0020
#define NPU_REG_PROT		0x0024
#define NPU_REG_CONFIG		0x0028
#define NPU_REG_REGIONCFG	0x003c
#define NPU_REG_AXILIMIT0	0x0040 /* U65 */
#define NPU_REG_AXILIMIT1	0x0044 /* U65 */
#define NPU_REG_AXILIMIT2	0x0048 /* U65 */
#define NPU_REG_AXILIMIT3	0x004c /* U65 */
#define NPU_REG_MEM_ATTR0	0x0040 /* U85 */
#define NPU_REG_MEM_ATTR1	0x0044 /* U85 */
#define NPU_REG_MEM_ATTR2	0x0048 /* U85 */
#define NPU_REG_MEM_ATTR3	0x004c /* U85 */
#define NPU_REG_AXI_SRAM	0x0050 /* U85 */
#define NPU_REG_AXI_EXT		0x0054 /* U85 */

#define NPU_REG_BASEP(x)	(0x0080 + (x) * 8)
#define NPU_REG_BASEP_HI(x)	(0x0084 + (x) * 8)
#define NPU_BASEP_REGION_MAX	8

#define ID_ARCH_MAJOR_MASK	GENMASK(31, 28)

#define STATUS_STATE_RUNNING	BIT(0)
#define STATUS_IRQ_RAISED	BIT(1)	/* cleared by CMD_CLEAR_IRQ */
#define STATUS_BUS_STATUS	BIT(2)	/* cleared only by reset */
#define STATUS_RESET_STATUS	BIT(3)
#define STATUS_CMD_PARSE_ERR	BIT(4)	/* cleared only by reset */
#define STATUS_CMD_END_REACHED	BIT(5)

#define CMD_TRANSITION_TO_RUN	BIT(0)
#define CMD_CLEAR_IRQ		BIT(1)

#define RESET_PENDING_CPL	BIT(0)
#define RESET_PENDING_CSL	BIT(1)

#define PROT_ACTIVE_CSL		BIT(1)

/* Region whose base the driver points at the NPU's SRAM when a job uses it */
#define ETHOSU_SRAM_REGION	2

struct ethosu_device {
	struct drm_device base;

	void __iomem *regs;

	void __iomem *sram;
	struct gen_pool *srampool;
	dma_addr_t sramphys;

	struct clk_bulk_data *clks;
	int num_clks;
	int irq;

	struct drm_ethosu_npu_info npu_info;

	struct ethosu_job *in_flight_job;
	/* Guards in_flight_job and programming the job into the hardware */
	struct mutex job_lock;

	/* Lock of every done_fence */
	spinlock_t fence_lock;

	struct drm_gpu_scheduler sched;
	/* Serialises drm_sched_job_arm() and drm_sched_entity_push_job() */
	struct mutex sched_lock;

	u64 fence_context;
	u64 emit_seqno;
};

#define to_ethosu_device(drm_dev) \
	((struct ethosu_device *)container_of(drm_dev, struct ethosu_device, base))

static inline bool ethosu_is_u65(const struct ethosu_device *ethosudev)
{
	return FIELD_GET(ID_ARCH_MAJOR_MASK, ethosudev->npu_info.id) == 1;
}

#endif /* __ETHOSU_DEVICE_H__ */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * gem.c - the GEM half the job code needs: buffer objects with a bus address
 * and a CPU mapping, a reservation object each, real reference counts, and
 * per-file handles. A command-stream BO also carries its validated info.
 */
#include <string.h>

#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "ethosu_device.h"
#include "ethosu_gem.h"
#include "glue.h"

static void ethosu_bench_gem_free(struct drm_gem_object *obj)
{
	struct ethosu_gem_object *bo = to_ethosu_bo(obj);

	dma_resv_fini(&obj->_resv);
	free(bo->base.vaddr);
	kfree(bo->info);
	kfree(bo);
	kshim_count(KC_BOS_LIVE, -1);
}

static const struct drm_gem_object_funcs ethosu_bench_gem_funcs = {
	.free = ethosu_bench_gem_free,
};

int drm_gem_object_init(struct drm_device *dev, struct drm_gem_object *obj, size_t size)
{
	kref_init(&obj->refcount);
	obj->dev = dev;
	obj->size = size;
	dma_resv_init(&obj->_resv);
	obj->resv = &obj->_resv;
	return 0;
}

void drm_gem_object_free(struct kref *kref)
{
	struct drm_gem_object *obj = container_of(kref, struct drm_gem_object, refcount);

	obj->funcs->free(obj);
}

struct drm_gem_object *ethosu_gem_create_object(struct drm_device *ddev, size_t size)
{
	struct ebench_dev *d = kshim_dev();
	struct ethosu_gem_object *bo;
	u64 span;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.vaddr = calloc(1, size ? size : 1);
	if (!bo->base.vaddr) {
		kfree(bo);
		return ERR_PTR(-ENOMEM);
	}
	drm_gem_object_init(ddev, &bo->base.base, size);
	bo->base.base.funcs = &ethosu_bench_gem_funcs;
	span = ALIGN(size ? size : 1, 0x10000ULL);
	bo->base.dma_addr = GLUE_DMA_BASE + __atomic_fetch_add(&d->next_dma, span, __ATOMIC_RELAXED);
	kshim_count(KC_BOS_LIVE, 1);
	return &bo->base.base;
}

int drm_gem_handle_create(struct drm_file *file, struct drm_gem_object *obj, u32 *handlep)
{
	struct drm_gem_object **table;
	u32 i, cap;

	spin_lock(&file->table_lock);
	for (i = 0; i < file->handle_cap; i++)
		if (!file->handles[i])
			break;
	if (i == file->handle_cap) {
		spin_unlock(&file->table_lock);
		cap = file->handle_cap ? file->handle_cap * 2 : 16;
		table = kzalloc(cap * sizeof(*table), GFP_KERNEL);
		if (!table)
			return -ENOMEM;
		spin_lock(&file->table_lock);
		if (file->handle_cap)
			memcpy(table, file->handles, file->handle_cap * sizeof(*table));
		kfree(file->handles);
		file->handles = table;
		i = file->handle_cap;
		file->handle_cap = cap;
	}
	drm_gem_object_get(obj);
	obj->handle_count++;
	file->handles[i] = obj;
	spin_unlock(&file->table_lock);
	*handlep = i + 1;
	return 0;
}

int drm_gem_handle_delete(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = NULL;

	spin_lock(&file->table_lock);
	if (handle >= 1 && handle <= file->handle_cap) {
		obj = file->handles[handle - 1];
		file->handles[handle - 1] = NULL;
	}
	spin_unlock(&file->table_lock);
	if (!obj)
		return -EINVAL;
	obj->handle_count--;
	drm_gem_object_put(obj);
	return 0;
}

struct drm_gem_object *drm_gem_object_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = NULL;

	spin_lock(&file->table_lock);
	if (handle >= 1 && handle <= file->handle_cap) {
		obj = file->handles[handle - 1];
		if (obj)
			drm_gem_object_get(obj);
	}
	spin_unlock(&file->table_lock);
	return obj;
}

int drm_gem_lock_reservations(struct drm_gem_object **objs, int count,
			      struct ww_acquire_ctx *acquire_ctx)
{
	int i, ret;

	ww_acquire_init(acquire_ctx, &reservation_ww_class);
	for (i = 0; i < count; i++) {
		ret = dma_resv_lock(objs[i]->resv, acquire_ctx);
		if (ret) {
			while (--i >= 0)
				dma_resv_unlock(objs[i]->resv);
			ww_acquire_fini(acquire_ctx);
			return ret;
		}
	}
	ww_acquire_done(acquire_ctx);
	return 0;
}

void drm_gem_unlock_reservations(struct drm_gem_object **objs, int count,
				 struct ww_acquire_ctx *acquire_ctx)
{
	int i;

	for (i = 0; i < count; i++)
		dma_resv_unlock(objs[i]->resv);
	ww_acquire_fini(acquire_ctx);
}

/* The bench's record of a validated stream, copied field by field into the driver's. */
static void copy_info(struct ethosu_validated_cmdstream_info *to,
		      const struct ebench_cmdstream_info *from)
{
	int i;

	BUILD_BUG_ON(EBENCH_REGIONS != NPU_BASEP_REGION_MAX);
	to->cmd_size = from->cmd_size;
	for (i = 0; i < EBENCH_REGIONS; i++) {
		to->region_size[i] = from->region_size[i];
		to->output_region[i] = from->output_region[i];
	}
}

int glue_bo_create(struct ebench_dev *d, struct ebench_file *f, u64 size, const u32 *words,
		   u32 nwords, const struct ebench_cmdstream_info *info)
{
	struct ethosu_device *edev = d->drvdata;
	struct drm_gem_object *obj;
	struct ethosu_gem_object *bo;
	u32 handle;
	int ret;

	if (words && (u64)nwords * 4 > size)
		size = (u64)nwords * 4;
	if (!size || size > (1ULL << 31))
		return -EINVAL;
	obj = ethosu_gem_create_object(&edev->base, size);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	bo = to_ethosu_bo(obj);
	if (words) {
		memcpy(bo->base.vaddr, words, (size_t)nwords * 4);
		bo->info = kzalloc(sizeof(*bo->info), GFP_KERNEL);
		if (!bo->info) {
			drm_gem_object_put(obj);
			return -ENOMEM;
		}
		if (info)
			copy_info(bo->info, info);
		else
			bo->info->cmd_size = nwords * 4;
	}
	ret = drm_gem_handle_create(&f->file, obj, &handle);
	/* the handle holds the reference now, as drm_gem_handle_create leaves it */
	drm_gem_object_put(obj);
	return ret ? ret : (int)handle;
}

u64 glue_bo_dma_addr(struct ebench_file *f, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(&f->file, handle);
	u64 addr;

	if (!obj)
		return 0;
	addr = to_drm_gem_dma_obj(obj)->dma_addr;
	drm_gem_object_put(obj);
	return addr;
}

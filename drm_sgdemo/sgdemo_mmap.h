/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU mappings of sgdemo's native objects (sgdemo_mmap.c): the VMA's
 * set-up and its fault handler, for GEM and dma-buf mappings alike.
 */
#ifndef _SGDEMO_MMAP_H_
#define _SGDEMO_MMAP_H_

struct drm_gem_object;
struct file;
struct vm_area_struct;
struct vm_operations_struct;

/**
 * DOC: CPU mappings
 *
 * A native object is mapped two ways: through the DRM file at the object's
 * fake offset (DRM_IOCTL_SGDEMO_MMAP_OFFSET or MODE_MAP_DUMB, then mmap();
 * the DRM core takes no other start), and through a dma-buf sgdemo
 * exported, at any page, where drm_gem_prime_mmap() adds the same fake
 * offset to the offset the caller gave. Either way the VMA's
 * vm_pgoff is the fake offset plus the object page the VMA starts at, and
 * the kernel keeps it so when the VMA is split (munmap() of a part,
 * mprotect()) or moved (mremap()): vmf->pgoff names the object page of any
 * faulting address, offset by the start of the object's node. sgdemo's
 * fault handler takes the page from there,
 * ``vmf->pgoff - drm_vma_node_start(&obj->vma_node)``.
 *
 * The shmem helpers' own handler (drm_gem_shmem_vm_ops, 6.1 to 7.3) counts
 * from the start of the VMA instead, which is object page 0 only for a
 * mapping that starts at the object's first page and was never cut at its
 * head or moved in parts: a dma-buf mapping made k pages into the object,
 * or what is left after munmap() of a mapping's head, or a part moved by
 * mremap(), would show pages below the right ones.
 *
 * For that formula to hold, the node's start must never change under a
 * VMA: a GEM mapping needs the node to exist, and sgdemo gives every object
 * its fake offset when it is exported (sgdemo_gem_prime_export()), before any
 * dma-buf mapping can be made; the node goes only with the object.
 *
 * What stays the helpers': the VMA's set-up (drm_gem_shmem_object_mmap():
 * a PFN mapping that holds a reference on the object's pages), and the
 * .open and .close of drm_gem_shmem_vm_ops, which take and drop a page
 * reference and an object reference for each VMA, so a VMA split in two or
 * copied by mremap() or fork() holds its own. A split needs nothing else
 * (no .may_split): each part reads its page from its own vm_pgoff.
 *
 * A fault maps the faulting page and the rest of its folio that lies inside
 * both the VMA and the object, so reading an object on huge folios (7.x)
 * costs one fault per folio, not one per page (there, where writes are
 * tracked, a first write to each page still takes a write-protect fault); on
 * the kernel's shm mount of 6.x every folio is one page. A fault checks the
 * page index against the object's size (SIGBUS beyond it: mmap() and
 * mremap() cannot make such a VMA, so it is only a guard) and takes the lock
 * the helpers take around the page array. On kernels whose helpers record
 * writes to a mapping (7.x: the page is marked dirty at the first write
 * through it), sgdemo does the same, for the right page.
 *
 * An unplugged device keeps serving its mappings: the VMA holds the object
 * and its pages, and its file (the DRM file, or the dma-buf, which holds
 * the device) keeps the drm_device and the module, so a fault after unplug
 * touches nothing that unplug freed, and maps the pages as before, as
 * exported buffers keep working after unplug (docs/prime.md).
 */

int sgdemo_mmap_object(struct drm_gem_object *obj, struct vm_area_struct *vma);

unsigned long sgdemo_mmap_get_unmapped_area(struct file *filp, unsigned long addr,
					    unsigned long len, unsigned long pgoff,
					    unsigned long flags);

extern const struct vm_operations_struct sgdemo_mmap_vm_ops;

#endif /* _SGDEMO_MMAP_H_ */

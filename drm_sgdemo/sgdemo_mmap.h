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
 * A fault maps a whole folio (objects live on huge folios where the
 * kernel has them, sgdemo_hugefs.h): with one PMD through .huge_fault where
 * the kernel maps huge PFN mappings (6.12 on) and the folio is exactly the
 * object's part of a PMD-aligned 2 MiB of the VMA, else with a PTE for each
 * of its pages inside both the VMA and the object. GEM mappings are placed
 * on a 2 MiB boundary for that (the core's get_unmapped_area on 7.x,
 * sgdemo_mmap_get_unmapped_area() before). A fault checks the page index
 * against the object's size (SIGBUS beyond it: mmap() and mremap() cannot
 * make such a VMA, so it is only a guard) and takes the lock the helpers
 * take around the page array. On kernels whose helpers record writes to a
 * mapping (7.x: the page is marked dirty at the first write through it),
 * sgdemo does the same, for the right folio.
 *
 * An unplugged device serves no fault: every fault handler enters the
 * device with drm_dev_enter() and returns SIGBUS once it is gone, and
 * drm_dev_unplug() has removed the DRM file's page table entries. The VMA
 * still holds the object and its pages until it goes, so nothing a stale
 * entry of a dma-buf mapping reaches is freed.
 */

int sgdemo_mmap_object(struct drm_gem_object *obj, struct vm_area_struct *vma);

unsigned long sgdemo_mmap_get_unmapped_area(struct file *filp, unsigned long addr,
					    unsigned long len, unsigned long pgoff,
					    unsigned long flags);

extern const struct vm_operations_struct sgdemo_mmap_vm_ops;

#endif /* _SGDEMO_MMAP_H_ */

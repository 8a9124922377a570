/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sgdemo on a PCI device (sgdemo_pci.c): QEMU's educational device "edu"
 * (1234:11e8), whose tables are mapped through the IOMMU domain the device
 * sits in, and whose own DMA engine can move a few bytes between two DMA
 * addresses.
 */
#ifndef _SGDEMO_PCI_H_
#define _SGDEMO_PCI_H_

#include <linux/types.h>

struct sgdemo_edu;

/* The most one DMA transfer of edu moves; see sgdemo_pci.c for why. */
#define SGDEMO_EDU_MAX_XFER	2048

int sgdemo_pci_register(void);
void sgdemo_pci_unregister(void);
int sgdemo_edu_copy(struct sgdemo_edu *edu, dma_addr_t dst, dma_addr_t src, u32 len);

#endif /* _SGDEMO_PCI_H_ */

// SPDX-License-Identifier: GPL-2.0
/*
 * sgdemo bound to QEMU's educational PCI device, edu (QEMU's
 * docs/specs/edu.rst): a second kind of sgdemo device, whose tables are
 * mapped for a real PCI function, through its IOMMU domain where the machine
 * has one. Its DMA engine moves bytes between a DMA address and a 4 KiB
 * buffer inside the device; two transfers copy from one DMA address to
 * another, which is what SGDEMO_OP_DEVICE_COPY asks of it.
 */

#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "sgdemo.h"
#include "sgdemo_drv.h"
#include "sgdemo_pci.h"

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

/* Registers of BAR 0; the DMA ones take 8-byte accesses. */
#define EDU_ID			0x00	/* 0xRRrr00ed: major, minor, 0xed */
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define   EDU_DMA_RUN		BIT(0)	/* set to start; clear when done */
#define   EDU_DMA_TO_RAM	BIT(1)	/* edu's buffer to RAM; clear: RAM to it */

/* The device's buffer, at a device address of its own. */
#define EDU_BUF			0x40000

/*
 * The device's DMA mask: what edu declares unless QEMU is told otherwise.
 * Addresses above it would be cut off by the device, so the DMA layer must
 * hand out none.
 */
#define EDU_DMA_BITS		28

/* A transfer takes 100 ms of QEMU's virtual clock; give it many times that. */
#define EDU_TIMEOUT_US		(5 * USEC_PER_SEC)

/**
 * struct sgdemo_edu - an edu device sgdemo is bound to
 * @sdev: the sgdemo device made for it
 * @mmio: BAR 0
 */
struct sgdemo_edu {
	struct sgdemo_device *sdev;
	void __iomem *mmio;
};

/*
 * One transfer between @ram and the start of edu's buffer. Transfers stay
 * at most SGDEMO_EDU_MAX_XFER bytes, half the buffer: QEMU before 8.2.1
 * aborts on one that ends exactly at the buffer's end. edu reports no
 * error: a DMA address the IOMMU does not map shows in the guest's log
 * (DMAR fault) and in the bytes.
 */
static int sgdemo_edu_xfer(struct sgdemo_edu *edu, dma_addr_t ram, u32 len, bool to_ram)
{
	u64 cmd = EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0);

	writeq(to_ram ? EDU_BUF : ram, edu->mmio + EDU_DMA_SRC);
	writeq(to_ram ? ram : EDU_BUF, edu->mmio + EDU_DMA_DST);
	writeq(len, edu->mmio + EDU_DMA_COUNT);
	writeq(cmd, edu->mmio + EDU_DMA_CMD);
	return readq_poll_timeout(edu->mmio + EDU_DMA_CMD, cmd, !(cmd & EDU_DMA_RUN),
				  USEC_PER_MSEC, EDU_TIMEOUT_US);
}

/**
 * sgdemo_edu_copy - copy bytes from one DMA address to another through edu
 * @edu: the device
 * @dst: the DMA address written, mapped for the device
 * @src: the DMA address read, mapped for the device
 * @len: bytes, at most %SGDEMO_EDU_MAX_XFER
 *
 * Sleeps for the two transfers (about 200 ms); allocates nothing. The
 * copy engine runs one job at a time, so transfers never overlap.
 *
 * Returns: 0, -EINVAL for a length edu does not take, or -ETIMEDOUT when
 * the device did not finish.
 */
int sgdemo_edu_copy(struct sgdemo_edu *edu, dma_addr_t dst, dma_addr_t src, u32 len)
{
	int ret;

	if (!len || len > SGDEMO_EDU_MAX_XFER)
		return -EINVAL;
	ret = sgdemo_edu_xfer(edu, src, len, false);
	if (!ret)
		ret = sgdemo_edu_xfer(edu, dst, len, true);
	return ret;
}

static int sgdemo_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct sgdemo_edu *edu;
	u32 ident;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->mmio = pcim_iomap(pdev, 0, 0);
	if (!edu->mmio)
		return -ENOMEM;
	ident = readl(edu->mmio + EDU_ID);
	if ((ident & 0xff) != 0xed)
		return -ENODEV;
	pci_set_master(pdev);

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;
	/*
	 * The device takes a DMA address and a length per transfer, nothing
	 * longer than SGDEMO_EDU_MAX_XFER, so a segment may be as long as the
	 * DMA layer makes it: behind an IOMMU, one run of IOVA for many pages.
	 */
	dma_set_max_seg_size(&pdev->dev, UINT_MAX);

	edu->sdev = sgdemo_device_create(&pdev->dev, edu);
	if (IS_ERR(edu->sdev))
		return PTR_ERR(edu->sdev);
	pci_set_drvdata(pdev, edu);
	return 0;
}

/* Ends the device's mappings and jobs before returning; see sgdemo_device_unplug(). */
static void sgdemo_pci_remove(struct pci_dev *pdev)
{
	struct sgdemo_edu *edu = pci_get_drvdata(pdev);

	sgdemo_device_unplug(edu->sdev);
}

static const struct pci_device_id sgdemo_pci_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, sgdemo_pci_ids);

static struct pci_driver sgdemo_pci_driver = {
	.name		= DRIVER_NAME,
	.id_table	= sgdemo_pci_ids,
	.probe		= sgdemo_pci_probe,
	.remove		= sgdemo_pci_remove,
};

/**
 * sgdemo_pci_register - bind to edu devices, now and when they appear
 *
 * Returns: 0 or a negative errno from the PCI core.
 */
int sgdemo_pci_register(void)
{
	return pci_register_driver(&sgdemo_pci_driver);
}

/**
 * sgdemo_pci_unregister - unbind from every edu device
 */
void sgdemo_pci_unregister(void)
{
	pci_unregister_driver(&sgdemo_pci_driver);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SetVfPowerState through the PMCSR of the VF's power management capability.
 * sysfs has no way to set a D-state (power_state is read-only), so this is a
 * raw config write; it follows the kernel's pci_raw_set_power_state(): only
 * states PMC advertises, D0 from anywhere but otherwise only deeper, the PCI
 * PM delays, then a read-back.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* The PCI PM delays, as the kernel names them (include/linux/pci.h). */
#define PCI_PM_D3HOT_WAIT	10	/* ms */
#define PCI_PM_D2_DELAY		200	/* us */

static const char *const state_names[] = { "D0", "D1", "D2", "D3hot" };

struct pm_regs {
	uint8_t cap;		/* offset of the PM capability */
	uint16_t pmc;
	uint16_t pmcsr;
};

static int read_pm(struct sriovvirt_pf *pf, uint16_t vf, struct pm_regs *ret)
{
	uint8_t cfg[PCI_CFG_SPACE_SIZE];
	ssize_t n;
	size_t len;

	n = sv_vf_read(pf, vf, 0, cfg, sizeof(cfg));
	if (n < 0)
		return (int)n;
	len = (size_t)n;
	if (len < PCI_CFG_SPACE_SIZE) {
		sv_err(pf->ctx, "%s: VF %u: reading the PM capability needs "
		       "root (CAP_SYS_ADMIN)", pf->name, vf);
		return -EACCES;
	}
	if (sv_find_std_cap(cfg, len, PCI_CAP_ID_PM, &ret->cap) < 0) {
		sv_err(pf->ctx, "%s: VF %u has no power management capability",
		       pf->name, vf);
		return -EOPNOTSUPP;
	}
	ret->pmc = sv_le16(cfg + ret->cap + PCI_PM_PMC);
	ret->pmcsr = sv_le16(cfg + ret->cap + PCI_PM_CTRL);
	return 0;
}

static int check_supported(struct sriovvirt_pf *pf, uint16_t vf,
			   const struct pm_regs *pm, unsigned int state,
			   bool wake)
{
	if ((state == SRIOVVIRT_POWER_D1 && !(pm->pmc & PCI_PM_CAP_D1)) ||
	    (state == SRIOVVIRT_POWER_D2 && !(pm->pmc & PCI_PM_CAP_D2))) {
		sv_err(pf->ctx, "%s: VF %u does not support %s (its PM "
		       "capability allows D0%s%s and D3hot)", pf->name, vf,
		       state_names[state], pm->pmc & PCI_PM_CAP_D1 ? ", D1" : "",
		       pm->pmc & PCI_PM_CAP_D2 ? ", D2" : "");
		return -EOPNOTSUPP;
	}
	if (wake && !(pm->pmc & (1u << (PCI_PM_CAP_PME_SHIFT + state)))) {
		sv_err(pf->ctx, "%s: VF %u cannot signal wake-up (PME) from %s",
		       pf->name, vf, state_names[state]);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* A kernel driver owns the device's power state; a raw write would lie to it. */
static int check_unbound(struct sriovvirt_pf *pf, uint16_t vf)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
	int r;

	r = sv_vf_driver(pf, vf, driver, sizeof(driver));
	if (r == -ENODATA)
		return 0;
	if (r == -ERANGE)	/* bound all the same */
		snprintf(driver, sizeof(driver), "a driver");
	else if (r < 0)
		return r;
	sv_err(pf->ctx, "%s: VF %u is bound to %s, which manages its power "
	       "state; unbind it first (or let the VM change it through VFIO)",
	       pf->name, vf, driver);
	return -EBUSY;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The delay the PCI PM specification requires after writing PowerState. */
static void transition_delay(unsigned int from, unsigned int to)
{
	if (from == SRIOVVIRT_POWER_D3HOT || to == SRIOVVIRT_POWER_D3HOT)
		sleep_us(PCI_PM_D3HOT_WAIT * 1000L);
	else if (from == SRIOVVIRT_POWER_D2 || to == SRIOVVIRT_POWER_D2)
		sleep_us(PCI_PM_D2_DELAY);
}

static int write_pmcsr(struct sriovvirt_pf *pf, uint16_t vf,
		       const struct pm_regs *pm, unsigned int state, bool wake)
{
	uint16_t value = pm->pmcsr;
	uint8_t bytes[2];
	ssize_t n;

	/* PME_Status is write-one-to-clear: leave it alone by writing 0. */
	value &= (uint16_t)~(PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_STATUS |
			     PCI_PM_CTRL_PME_ENABLE);
	value |= (uint16_t)state;
	if (wake)
		value |= PCI_PM_CTRL_PME_ENABLE;
	bytes[0] = (uint8_t)value;
	bytes[1] = (uint8_t)(value >> 8);
	n = sv_vf_write(pf, vf, pm->cap + PCI_PM_CTRL, bytes, sizeof(bytes));
	if (n < 0)
		return (int)n;
	return (size_t)n == sizeof(bytes) ? 0 : -EIO;
}

static int verify_state(struct sriovvirt_pf *pf, uint16_t vf, unsigned int from,
			unsigned int state, bool wake)
{
	struct pm_regs pm;
	int r;

	r = read_pm(pf, vf, &pm);
	if (r < 0)
		return r;
	if ((pm.pmcsr & PCI_PM_CTRL_STATE_MASK) != state ||
	    !!(pm.pmcsr & PCI_PM_CTRL_PME_ENABLE) != wake) {
		sv_err(pf->ctx, "%s: VF %u: PMCSR reads %#06x after setting %s%s",
		       pf->name, vf, pm.pmcsr, state_names[state],
		       wake ? " with wake" : "");
		return -EIO;
	}
	if (from == SRIOVVIRT_POWER_D3HOT && state == SRIOVVIRT_POWER_D0 &&
	    !(pm.pmcsr & PCI_PM_CTRL_NO_SOFT_RESET))
		sv_warn(pf->ctx, "%s: VF %u reset itself leaving D3hot "
			"(No_Soft_Reset is clear); its config space needs "
			"restoring", pf->name, vf);
	return 0;
}

SV_EXPORT int sriovvirt_vf_set_power_state(struct sriovvirt_pf *pf, uint16_t vf,
					   enum sriovvirt_power_state state,
					   bool wake)
{
	unsigned int to = (unsigned int)state, from;
	struct pm_regs pm;
	int r;

	if (!pf || to > SRIOVVIRT_POWER_D3HOT)
		return -EINVAL;
	if (wake && to == SRIOVVIRT_POWER_D0) {
		sv_err(pf->ctx, "%s: VF %u: wake applies to low-power states, "
		       "not D0", pf->name, vf);
		return -EINVAL;
	}
	r = read_pm(pf, vf, &pm);
	if (r == 0)
		r = check_supported(pf, vf, &pm, to, wake);
	/* Through VFIO, vfio-pci performs the transition itself. */
	if (r == 0 && !sv_vf_is_vfio(pf, vf))
		r = check_unbound(pf, vf);
	if (r < 0)
		return r;
	from = pm.pmcsr & PCI_PM_CTRL_STATE_MASK;
	if (from != SRIOVVIRT_POWER_D0 && to != SRIOVVIRT_POWER_D0 && to < from) {
		sv_err(pf->ctx, "%s: VF %u is in %s and can only go to D0 or "
		       "deeper from there", pf->name, vf, state_names[from]);
		return -EINVAL;
	}
	r = write_pmcsr(pf, vf, &pm, to, wake);
	if (r < 0)
		return r;
	if (from != to)
		transition_delay(from, to);
	return verify_state(pf, vf, from, to, wake);
}

SV_EXPORT int sriovvirt_vf_get_power_state(struct sriovvirt_pf *pf, uint16_t vf,
					   enum sriovvirt_power_state *ret_state,
					   bool *ret_wake)
{
	struct pm_regs pm;
	int r;

	if (!pf || !ret_state)
		return -EINVAL;
	r = read_pm(pf, vf, &pm);
	if (r < 0)
		return r;
	*ret_state = (enum sriovvirt_power_state)(pm.pmcsr & PCI_PM_CTRL_STATE_MASK);
	if (ret_wake)
		*ret_wake = pm.pmcsr & PCI_PM_CTRL_PME_ENABLE;
	return 0;
}

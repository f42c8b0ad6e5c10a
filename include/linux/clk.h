/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/clk.h - the device's clocks: runtime suspend gates them, resume
 * enables them; a register access while they are gated is a finding
 * (on hardware: an external abort).
 */
#ifndef _LINUX_CLK_H
#define _LINUX_CLK_H

#include <linux/kernel.h>

struct clk;

struct clk_bulk_data {
	const char *id;
	struct clk *clk;
};

int clk_bulk_prepare_enable(int num_clks, const struct clk_bulk_data *clks);
void clk_bulk_disable_unprepare(int num_clks, const struct clk_bulk_data *clks);

#endif

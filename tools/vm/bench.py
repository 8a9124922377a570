#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py OUTDIR KERNEL...

Turns the benchmark's JSON (OUTDIR/KERNEL.json, from tools/bench/sgdemo_bench)
into a text table per kernel (OUTDIR/KERNEL.txt), one Markdown page with
every kernel side by side (OUTDIR/bench.md), and a plot of the ratios
(OUTDIR/bench.png, drawn by gnuplot): sgdemo over vgem for each shared
operation, the fill over the memset limit, and owned acquire + release over
PRIME export + import + close. A ratio of 1.0 is parity.

Where OUTDIR/KERNEL-SETUP.dma.json exist (sgdemo_bench -D, once a DMA
setup), a table of the setups side by side follows: each operation under
direct, swiotlb and iommu, with its ratio to direct.

Where OUTDIR/KERNEL.scaling.json exist (sgdemo_bench -S), the scaling run:
tables in OUTDIR/scaling.md, and three plots: bench-size.png (cost against
object size, log-log, one panel a kernel), bench-objects.png (cost against
the number of live objects) and bench-threads.png (operations per second
against threads, one panel a kind of work)."""
import json
import math
import os
import subprocess
import sys


def fmt(value, unit):
    if unit == "GB/s":
        return f"{value:.2f} GB/s"
    return f"{value:,.0f} ops/s"


def text_table(r):
    lines = [f"kernel {r['kernel']}: {r['reps']} repetitions, medians, "
             f"each at least {r['min_time']} s; {r['cpus']} vCPU, {r['memory_mib']} MiB",
             "",
             f"{'operation':48} {'sgdemo':>16} {'vgem':>16} {'sgdemo/vgem':>12}"]
    for op in r["shared"]:
        lines.append(f"{op['op']:48} {fmt(op['sgdemo'], op['unit']):>16} "
                     f"{fmt(op['vgem'], op['unit']):>16} {op['ratio']:>12.2f}")
    lines.append("")
    for op in r["sgdemo"] + r["limit"]:
        lines.append(f"{op['op']:48} {fmt(op['value'], op['unit']):>16}")
    seg = r["segments"]
    lines += ["",
              f"{seg['size'] >> 20} MiB object: {seg['pages']} pages in "
              f"{seg['contiguous_runs']} physically contiguous runs; its table has "
              f"{seg['orig_nents']} segments, {seg['nents']} once DMA-mapped",
              f"page faults of one big fill: sgdemo {r['faults']['sgdemo']}, "
              f"vgem {r['faults']['vgem']}, anonymous memory {r['faults']['anonymous']}",
              f"fill / memset limit (new memory): {r['fill_over_limit']:.2f}",
              f"owned acquire + release / export + import into vgem + close (2 MiB): "
              f"{r['owned_over_prime']:.2f}"]
    return "\n".join(lines) + "\n"


def markdown(results):
    ks = list(results)
    head = "| operation | " + " | ".join(f"sgdemo ({k}) | vgem ({k}) | ratio ({k})" for k in ks) + " |"
    out = [head, "|---|" + "---:|" * (3 * len(ks))]
    for i, op in enumerate(results[ks[0]]["shared"]):
        cells = []
        for k in ks:
            o = results[k]["shared"][i]
            cells += [fmt(o["sgdemo"], o["unit"]), fmt(o["vgem"], o["unit"]),
                      f"**{o['ratio']:.2f}**"]
        out.append(f"| {op['op']} | " + " | ".join(cells) + " |")
    out += ["", "| sgdemo alone, and the limit | " + " | ".join(ks) + " |",
            "|---|" + "---:|" * len(ks)]
    for i, op in enumerate(results[ks[0]]["sgdemo"] + results[ks[0]]["limit"]):
        cells = [fmt((results[k]["sgdemo"] + results[k]["limit"])[i]["value"], op["unit"])
                 for k in ks]
        out.append(f"| {op['op']} | " + " | ".join(cells) + " |")
    rows = [("fill / memset limit (new memory)", "fill_over_limit"),
            ("owned acquire + release / export + import into vgem + close, 2 MiB",
             "owned_over_prime")]
    for name, key in rows:
        out.append(f"| {name} | " + " | ".join(f"**{results[k][key]:.2f}**" for k in ks) + " |")
    out.append("| page faults of one big fill: sgdemo / vgem / anonymous | " +
               " | ".join(f"{results[k]['faults']['sgdemo']} / {results[k]['faults']['vgem']} / "
                          f"{results[k]['faults']['anonymous']}" for k in ks) + " |")
    out.append("| contiguous runs / table segments / DMA segments of the big object | " +
               " | ".join(f"{results[k]['segments']['contiguous_runs']} / "
                          f"{results[k]['segments']['orig_nents']} / "
                          f"{results[k]['segments']['nents']}" for k in ks) + " |")
    return "\n".join(out) + "\n"


SETUPS = ("direct", "swiotlb", "iommu")


def reference(ops):
    """The reference figure of a setup's run (1.0 in runs without one)."""
    for op in ops:
        if op["op"].startswith("reference"):
            return op["value"]
    return 1.0


def setups_markdown(outdir, kernels):
    """The DMA setups side by side, per kernel; empty without their runs."""
    out = []
    for k in kernels:
        runs = {}
        for setup in SETUPS:
            path = os.path.join(outdir, f"{k}-{setup}.dma.json")
            if os.path.exists(path):
                with open(path) as f:
                    runs[setup] = json.load(f)
        if "direct" not in runs:
            continue
        setups = [s for s in SETUPS if s in runs]
        big = runs["direct"]["big"] >> 20
        refs = {s: reference(runs[s]["dma"]) for s in setups}
        out += ["", f"DMA setups, kernel {k} (engine=device in swiotlb and iommu; iommu on "
                f"the PCI device; big = {big} MiB). Each setup is a guest of its own: "
                "a ratio is the setup's figure over direct's, each first divided by "
                "its own guest's reference (memset into touched anonymous memory, "
                "which no setup changes).", "",
                "| operation | " + " | ".join(setups) + " | " +
                " | ".join(f"{s} / direct" for s in setups[1:]) + " |",
                "|---|" + "---:|" * (2 * len(setups) - 1)]
        for i, op in enumerate(runs["direct"]["dma"]):
            vals = [runs[s]["dma"][i]["value"] for s in setups]
            cells = [fmt(v, op["unit"]) for v in vals]
            if not op["op"].startswith("reference"):
                base = vals[0] / refs[setups[0]]
                cells += [f"**{v / refs[s] / base:.2f}**" for s, v in zip(setups[1:], vals[1:])]
            else:
                cells += [f"{v / vals[0]:.2f}" for v in vals[1:]]
            out.append(f"| {op['op'].replace(' big', f' {big} MiB')} | " + " | ".join(cells) + " |")
    return "\n".join(out) + ("\n" if out else "")


def plot(outdir, results):
    ks = list(results)
    first = results[ks[0]]
    short = {"create + mmap + fill + close": "fill", "PRIME export + self-import": "self-import",
             "PRIME export + import into the other + close": "export to the other",
             "cross-import + first map": "cross-import + map"}
    labels = []
    for op in first["shared"]:
        label = op["op"].replace(" big", f" {first['big'] >> 20} MiB")
        for long_name, short_name in short.items():
            label = label.replace(long_name, short_name)
        labels.append(label)
    labels += ["fill / memset limit", "owned / PRIME, 2 MiB"]
    with open(os.path.join(outdir, "bench.dat"), "w") as f:
        f.write("# label " + " ".join(ks) + "\n")
        for i, label in enumerate(labels):
            vals = []
            for k in ks:
                r = results[k]
                if i < len(first["shared"]):
                    vals.append(r["shared"][i]["ratio"])
                elif i == len(first["shared"]):
                    vals.append(r["fill_over_limit"])
                else:
                    vals.append(r["owned_over_prime"])
            f.write(f"\"{label}\" " + " ".join(f"{v:.4f}" for v in vals) + "\n")
    series = ", ".join(f"'bench.dat' using {i + 2}:xtic(1) title 'kernel {k}'"
                       for i, k in enumerate(ks))
    script = f"""set terminal pngcairo size 1100,600 font ',10'
set output 'bench.png'
set title 'sgdemo against vgem and the memset limit (ratio; 1.0 = parity, higher is better for sgdemo)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top right
set ylabel 'ratio (log scale)'
set logscale y 2
set yrange [0.125:16]
set grid ytics
set xtics rotate by -25 left
set bmargin 7
set rmargin 8
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2
plot {series}
"""
    with open(os.path.join(outdir, "bench.gp"), "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", "bench.gp"], cwd=outdir, check=True)


def size_label(n):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            v = n / (1 << shift)
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} B"


def slope(points, lo, hi):
    """The log-log slope of a size series between sizes lo and hi (1: linear
    in pages, 0: flat)."""
    a = next(p for p in points if p["size"] == lo)
    b = next(p for p in points if p["size"] == hi)
    return math.log(b["us"] / a["us"]) / math.log(hi / lo)


def us(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def scaling_markdown(scaling):
    out = []
    for k, r in scaling.items():
        sizes = [p["size"] for p in r["size"][0]["points"]]
        small, mid, top = sizes[0], min(sizes, key=lambda x: abs(x - (1 << 20))), sizes[-1]
        out += [f"### Kernel {k}: cost against object size, µs per operation "
                f"({r['cpus']} vCPUs, {r['memory_mib']} MiB, medians of up to {r['reps']})", "",
                "| size | " + " | ".join(s["op"] for s in r["size"]) + " |",
                "|---:|" + "---:|" * len(r["size"])]
        for i, size in enumerate(sizes):
            out.append(f"| {size_label(size)} | " +
                       " | ".join(us(s["points"][i]["us"]) for s in r["size"]) + " |")
        out.append(f"| µs per page at {size_label(top)} | " +
                   " | ".join(f"{s['points'][-1]['us_per_page']:.3f}" for s in r["size"]) + " |")
        # Cost as a fixed part (the smallest size's) plus a part per page.
        fixed = [sr["points"][0]["us"] for sr in r["size"]]
        per_page = [max(sr["points"][-1]["us"] - f, 0) / sr["points"][-1]["pages"]
                    for sr, f in zip(r["size"], fixed)]
        out.append(f"| per page beyond the {size_label(small)} cost, ns (to {size_label(top)}) | " +
                   " | ".join(f"{pp * 1000:.1f}" for pp in per_page) + " |")
        out.append("| size where the pages cost as much as the fixed part | " +
                   " | ".join(size_label(int(f / pp) * 4096) if pp > 0 and f / pp < 1 << 40
                              else "—" for f, pp in zip(fixed, per_page)) + " |")
        out.append(f"| slope {size_label(small)} → {size_label(mid)} | " +
                   " | ".join(f"{slope(s['points'], small, mid):.2f}" for s in r["size"]) + " |")
        out.append(f"| slope {size_label(mid)} → {size_label(top)} | " +
                   " | ".join(f"{slope(s['points'], mid, top):.2f}" for s in r["size"]) + " |")
        if "size_facts" in r:
            out += ["", "| size | page faults per fill | page runs of the object | "
                    "segments of its table |", "|---:|---:|---:|---:|"]
            for f in r["size_facts"]:
                out.append(f"| {size_label(f['size'])} | {f['fill_faults']:,.0f} | "
                           f"{f['page_runs']:,} | {f['segments']:,} |")
        obj = r["objects"]
        out += ["", f"### Kernel {k}: cost against live objects of "
                f"{size_label(obj['object_size'])}, µs (lookup: {obj['lookup']})", "",
                "| live objects | " + " | ".join(s["op"] for s in obj["series"]) + " |",
                "|---:|" + "---:|" * len(obj["series"])]
        for i, p in enumerate(obj["series"][0]["points"]):
            out.append(f"| {p['live']:,} | " +
                       " | ".join(us(s["points"][i]["us"]) for s in obj["series"]) + " |")
        out.append(f"\nClosing all {obj['close_all']['objects']:,}: "
                   f"{obj['close_all']['us']:.1f} µs each.")
        out += ["", f"### Kernel {k}: operations per second against threads, all together", "",
                "| threads | " + " | ".join(f"{s['op']} ({s['unit']})" for s in r["threads"]) + " |",
                "|---:|" + "---:|" * len(r["threads"])]
        for i, p in enumerate(r["threads"][0]["points"]):
            out.append(f"| {p['threads']} | " +
                       " | ".join(f"{s['points'][i]['value']:,.0f}" for s in r["threads"]) + " |")
        out.append("")
    return "\n".join(out) + "\n"


def gnuplot(outdir, name, script):
    with open(os.path.join(outdir, name + ".gp"), "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", name + ".gp"], cwd=outdir, check=True)


def layout(n):
    return (1, n) if n <= 2 else (2, (n + 1) // 2)


def plot_size(outdir, scaling):
    ks = list(scaling)
    rows, cols = layout(len(ks))
    panels = []
    for k, r in scaling.items():
        series = r["size"]
        sizes = [p["size"] for p in series[0]["points"]]
        dat = f"scaling-size-{k}.dat"
        with open(os.path.join(outdir, dat), "w") as f:
            f.write("# size " + " | ".join(s["op"] for s in series) + "\n")
            for i, size in enumerate(sizes):
                f.write(f"{size} " + " ".join(f"{s['points'][i]['us']:.4f}" for s in series) + "\n")
        # A guide of slope 1 (linear in pages) through the fill's largest point.
        fill = next(s for s in series if "fill +" in s["op"])["points"][-1]
        tics = ", ".join(f"'{size_label(x).replace(' ', '')}' {x}" for x in sizes)
        values = [p["us"] for s in series for p in s["points"]]
        lines = [f"'{dat}' using 1:{i + 2} with linespoints lw 2 title '{s['op']}'"
                 for i, s in enumerate(series)]
        lines.append(f"{fill['us'] / fill['size']:.6e} * x with lines dt 3 lc rgb 'gray40' "
                     "title 'linear in pages'")
        panels.append(f"""set title 'kernel {k}: µs per operation against object size'
set xtics ({tics}) rotate by -30
set xrange [{sizes[0] / 1.5}:{sizes[-1] * 1.5}]
set yrange [{min(values) / 2}:{max(values) * 2}]
plot {', '.join(lines)}
""")
    gnuplot(outdir, "bench-size", f"""set terminal pngcairo size {560 * cols + 40},{600 * rows} font ',9'
set output 'bench-size.png'
set termoption noenhanced
set logscale xy
set xlabel 'object size'
set ylabel 'µs per operation (log)'
set grid
set key below font ',8' maxrows 4
set multiplot layout {rows},{cols}
{''.join(panels)}unset multiplot
""")


def plot_objects(outdir, scaling):
    plots = []
    for j, (k, r) in enumerate(scaling.items()):
        series = r["objects"]["series"]
        dat = f"scaling-objects-{k}.dat"
        with open(os.path.join(outdir, dat), "w") as f:
            f.write("# live " + " | ".join(s["op"] for s in series) + "\n")
            for i, p in enumerate(series[0]["points"]):
                f.write(f"{p['live']} " + " ".join(f"{s['points'][i]['us']:.4f}" for s in series)
                        + "\n")
        for i, s in enumerate(series):
            name = s["op"].split(" (mean")[0].replace(" of the objects kept", ", kept")
            plots.append(f"'{dat}' using 1:{i + 2} with linespoints lc {j + 1} dt {i + 1} "
                         f"pt {i + 5} lw 2 title '{k}: {name}'")
    gnuplot(outdir, "bench-objects", f"""set terminal pngcairo size 900,720 font ',9'
set output 'bench-objects.png'
set termoption noenhanced
set title 'µs per operation against the number of live 4 KiB objects in the file'
set logscale xy
set xtics ('1' 1, '10' 10, '100' 100, '1000' 1000, '10 000' 10000, '100 000' 100000)
set xlabel 'live objects'
set ylabel 'µs per operation (log)'
set grid
set key below font ',8' maxrows 4
plot {', '.join(plots)}
""")


def plot_threads(outdir, scaling):
    ks = list(scaling)
    works = [s["op"] for s in scaling[ks[0]]["threads"]]
    panels = []
    for w, work in enumerate(works):
        plots = []
        for j, (k, r) in enumerate(scaling.items()):
            s = r["threads"][w]
            dat = f"scaling-threads-{k}-{w}.dat"
            with open(os.path.join(outdir, dat), "w") as f:
                for p in s["points"]:
                    f.write(f"{p['threads']} {p['value']:.4f}\n")
            plots.append(f"'{dat}' using 1:2 with linespoints lc {j + 1} lw 2 pt 7 "
                         f"title 'kernel {k}'")
        unit = scaling[ks[0]]["threads"][w]["unit"]
        panels.append(f"""set title '{work}'
set ylabel '{unit}, all threads together'
plot {', '.join(plots)}
""")
    cpus = scaling[ks[0]]["cpus"]
    gnuplot(outdir, "bench-threads", f"""set terminal pngcairo size {420 * len(works) + 40},460 font ',9'
set output 'bench-threads.png'
set termoption noenhanced
set logscale x 2
set xrange [0.8:10]
set xtics (1, 2, 4, 8)
set xlabel 'threads, each on its own files ({cpus} vCPUs)'
set yrange [0:*]
set grid
set key bottom right font ',8'
set multiplot layout 1,{len(works)}
{''.join(panels)}unset multiplot
""")


def main():
    outdir, kernels = sys.argv[1], sys.argv[2:]
    results = {}
    for k in kernels:
        path = os.path.join(outdir, f"{k}.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            results[k] = json.load(f)
        table = text_table(results[k])
        with open(os.path.join(outdir, f"{k}.txt"), "w") as f:
            f.write(table)
        print(table)
    if results:
        setups = setups_markdown(outdir, kernels)
        print(setups)
        with open(os.path.join(outdir, "bench.md"), "w") as f:
            f.write(markdown(results) + setups)
        plot(outdir, results)
    scaling = {}
    for k in kernels:
        path = os.path.join(outdir, f"{k}.scaling.json")
        if os.path.exists(path):
            with open(path) as f:
                scaling[k] = json.load(f)
    if scaling:
        md = scaling_markdown(scaling)
        print(md)
        with open(os.path.join(outdir, "scaling.md"), "w") as f:
            f.write(md)
        plot_size(outdir, scaling)
        plot_objects(outdir, scaling)
        plot_threads(outdir, scaling)


if __name__ == "__main__":
    main()

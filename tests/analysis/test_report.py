"""The analysis scripts on a results file made by the real program (star evolve under mpirun)."""
import csv
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

ROOT = os.environ.get("STAR_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "analysis"))

import genome_motifs  # noqa: E402
import report  # noqa: E402
import star_results  # noqa: E402
from hypervolume import hypervolume, nondominated  # noqa: E402


@pytest.fixture(scope="module")
def results_file(tmp_path_factory):
    star, mpiexec = os.environ.get("STAR_BIN"), os.environ.get("STAR_MPIEXEC", "mpirun")
    if not star:
        pytest.skip("STAR_BIN is not set (ctest sets it)")
    work = tmp_path_factory.mktemp("run")
    config = open(os.path.join(ROOT, "tests", "data", "tiny.toml")).read()
    config += '\n[metrics]\ncache_seq_len = 40\n'
    config = config.replace("[evolution]\n", '[evolution]\nobjectives = ["quality", "params", "cache"]\n'
                            'initial_genomes = ["32112-11111-31112"]\n')
    (work / "tiny.toml").write_text(config)
    subprocess.run([mpiexec, "-np", "2", star, "evolve", "tiny.toml"], cwd=work, check=True, capture_output=True)
    return str(work / "runs" / "tiny" / "results.h5")


@pytest.fixture(scope="module")
def report_dir(results_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert report.main([results_file, "-o", str(out)]) == 0
    return out


def test_every_figure_and_table_is_written(report_dir):
    expected = ["pareto_quality_vs_params.png", "pareto_quality_vs_cache.png", "pareto_params_vs_cache.png",
                "objectives_per_generation.png", "liv_classes_per_generation.png", "sharing_links.png",
                "cache_scaling.png", "training_curves.png", "hypervolume_and_failures.png", "report.md", "report.html",
                "evaluated.csv"]
    for name in expected:
        path = report_dir / name
        assert path.exists() and path.stat().st_size > 0, name
        if name.endswith(".png"):
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
            assert f"({name})" in (report_dir / "report.md").read_text()
            assert f'src="{name}"' in (report_dir / "report.html").read_text()


def test_summary_numbers_equal_the_file(results_file, report_dir):
    with h5py.File(results_file) as f:
        gens = sorted(f["generations"])
        losses, statuses, params = [], [], []
        for g in gens:
            ev = f["generations"][g]["evaluated"]
            losses += list(ev["loss"][()])
            statuses += [s.decode() for s in ev["status"][()]]
            params += list(ev["parameters"][()])
        final = f["generations"][gens[-1]]["population"]
        front_size = int((final["front_rank"][()] == 0).sum())
    ok = [s == "ok" for s in statuses]
    md = (report_dir / "report.md").read_text()
    assert f"| generations | {len(gens)} |" in md
    assert f"| genomes trained | {len(losses)} |" in md
    assert f"| failed trainings | {ok.count(False)} |" in md
    assert f"| best held-out loss | {min(l for l, k in zip(losses, ok) if k):.4f} |" in md
    assert f"| fewest parameters | {min(p for p, k in zip(params, ok) if k)} |" in md
    assert f"| final front size | {front_size} |" in md
    with open(report_dir / "evaluated.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(losses)
    assert [float(r["loss"]) for r in rows] == pytest.approx(losses)


def test_cache_formula_matches_what_the_program_recorded(results_file):
    res = star_results.load(results_file)
    width, taps = res.config["model"]["width"], res.config["model"].get("conv_taps", 3)
    heads = res.config["model"].get("heads", 4)
    for _, r in res.evaluated.iterrows():
        livs = genome_motifs.parse(r["genome"])
        assert genome_motifs.cache_bytes(livs, 40, width, taps, 2, heads) == r["cache_bytes"], r["genome"]


def test_loss_curves_and_peak_memory_are_read(results_file):
    res = star_results.load(results_file)
    ok = res.evaluated[res.evaluated["status"] == "ok"]
    assert len(ok) > 0
    for _, r in ok.iterrows():
        points = star_results.curve_points(r["loss_curve"])
        assert 1 <= len(points) <= 32, r["genome"]
        assert r["peak_memory_bytes"] > 0, r["genome"]
    with h5py.File(results_file) as f:
        g = sorted(f["generations"])[0]
        raw = f["generations"][g]["evaluated"]["loss_curve"][()]
    first = star_results.curve_points(res.evaluated[res.evaluated["generation"] == 0]["loss_curve"].iloc[0])
    assert first == pytest.approx([v for v in raw[0] if not np.isnan(v)], rel=1e-5)


def test_baselines_are_the_initial_genomes(results_file):
    res = star_results.load(results_file)
    assert list(res.baselines()["genome"]) == ["32112-11111-31112"]


def test_sharing_links_and_distances():
    livs = genome_motifs.parse("21211-31112-21221-32112")
    assert genome_motifs.featurizer_owners(livs) == [0, 1, 0, 3]
    assert genome_motifs.feature_group_owners(livs) == [0, 1, 2, 1]
    assert sorted(genome_motifs.links(livs)) == [("feature group", "SA-1", 1, 3), ("featurizer", "GConv-1", 0, 2)]


def test_multi_path_blocks_are_read_as_star_reads_them():
    livs = genome_motifs.parse("31111-611113-211113-111114-a11112")
    assert genome_motifs.blocks(livs) == [(0, 3, "token gates", False), (3, 2, "scalars", True)]
    assert genome_motifs.blocks(genome_motifs.parse("31111-11111")) == [(0, 1, None, False), (1, 1, None, False)]


def test_recorded_hypervolume_follows_the_report_rule(results_file):
    """star records each generation's hypervolume and the reference point; the report reads them,
    and computes the same numbers for files without them."""
    results = star_results.load(results_file)
    assert results.hypervolume_reference is not None and len(results.hypervolume_reference) == 3
    assert sorted(results.hypervolume) == results.generations
    recorded = report.hypervolume_per_generation(results)
    results.hypervolume_reference, results.hypervolume = None, None  # as a file from before
    recomputed = report.hypervolume_per_generation(results)
    assert recorded["hypervolume"].tolist() == pytest.approx(recomputed["hypervolume"].tolist(), rel=1e-9)


def test_progress_is_drawn_against_evaluations_and_wall_time(results_file, tmp_path):
    """Both modes: every record's evaluations so far and the search's wall time, which grows."""
    star, mpiexec = os.environ["STAR_BIN"], os.environ.get("STAR_MPIEXEC", "mpirun")
    config = open(os.path.join(ROOT, "tests", "data", "tiny.toml")).read()
    config = config.replace("[evolution]\n", '[evolution]\nmode = "steady_state"\n')
    (tmp_path / "tiny.toml").write_text(config)
    subprocess.run([mpiexec, "-np", "2", star, "evolve", "tiny.toml"], cwd=tmp_path, check=True, capture_output=True)
    for path, population in [(results_file, 6), (str(tmp_path / "runs" / "tiny" / "results.h5"), 6)]:
        results = star_results.load(path)
        hv = report.hypervolume_per_generation(results)
        assert list(hv["evaluations"]) == [population * (g + 1) for g in range(3)]
        assert (hv["elapsed_seconds"] > 0).all() and hv["elapsed_seconds"].is_monotonic_increasing
    steady = star_results.load(str(tmp_path / "runs" / "tiny" / "results.h5"))
    assert steady.config["evolution"]["mode"] == "steady_state"
    assert list(steady.events["kind"]).count("result") == 18 and steady.events["kind"].iloc[0] == "handout"
    assert star_results.load(results_file).events is None
    assert report.main([str(tmp_path / "runs" / "tiny" / "results.h5"), "-o", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "hypervolume_and_failures.png").stat().st_size > 0


def test_hypervolume_known_values():
    assert hypervolume([[0.5, 0.5]], [1, 1]) == pytest.approx(0.25)
    assert hypervolume([[0, 0.5], [0.5, 0]], [1, 1]) == pytest.approx(0.75)
    assert hypervolume([[0.5, 0.5, 0.5]], [1, 1, 1]) == pytest.approx(0.125)
    assert hypervolume([[0, 0, 0.5], [0.5, 0.5, 0]], [1, 1, 1]) == pytest.approx(0.5 + 0.25 - 0.125)
    assert hypervolume([[2, 2]], [1, 1]) == 0.0
    assert len(nondominated(np.array([[1, 2], [2, 1], [2, 2]]))) == 2


def test_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "x.h5"
    bad.write_text("not hdf5")
    assert report.main([str(bad), "-o", str(tmp_path / "out")]) == 2
    assert "not a readable HDF5 file" in capsys.readouterr().err


def test_export_csv(results_file, tmp_path):
    import export_csv
    assert export_csv.main([results_file, "-o", str(tmp_path / "all.csv")]) == 0
    assert export_csv.main([results_file, "-o", str(tmp_path / "pop.csv"), "--population"]) == 0
    res = star_results.load(results_file)
    with open(tmp_path / "all.csv") as fh:
        assert len(list(csv.DictReader(fh))) == len(res.evaluated)
    with open(tmp_path / "pop.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(res.population) and "front_rank" in rows[0]


def test_cache_formula_matches_star_genome_describe_for_every_class(tmp_path):
    """The Python cache formula against the program's own, for every class of the table, with and
    without feature-group sharing (star genome describe prints the total)."""
    import re
    star = os.environ.get("STAR_BIN")
    if not star:
        pytest.skip("STAR_BIN is not set (ctest sets it)")
    classes = sorted(genome_motifs.CLASS_NAMES)
    config = tmp_path / "all.toml"
    config.write_text(f"[genome]\ndepth = 2\nclasses = {classes}\n[model]\nwidth = 24\nheads = 12\nconv_taps = 4\n")
    for cls in classes:
        x = "0123456789abcdefghijklmnopqrstuvwxyz"[cls]
        for text in (f"{x}1111-{x}2111", f"{x}1112-{x}1112"):
            out = subprocess.run([star, "genome", "describe", text, "--config", str(config), "--seq-len", "40"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                assert "not valid" in out.stderr and text.endswith("2"), out.stderr  # no feature groups to share
                continue
            per_value = int(re.search(r"(\d+) bytes per value", out.stdout).group(1))
            total = int(re.search(r"cache (\d+) bytes per sequence", out.stdout).group(1))
            expected = genome_motifs.cache_bytes(genome_motifs.parse(text), 40, 24, 4, per_value, heads=12)
            assert expected == total, (genome_motifs.class_name(cls), text, out.stdout)


@pytest.fixture(scope="module")
def retrain_file(results_file, tmp_path_factory):
    """`star retrain` of the tiny search's front (its best 2) and a baseline, 2 x longer."""
    star, mpiexec = os.environ.get("STAR_BIN"), os.environ.get("STAR_MPIEXEC", "mpirun")
    out = tmp_path_factory.mktemp("retrain")
    subprocess.run([mpiexec, "-np", "1", star, "retrain", results_file, "--top", "2", "--budget-factor", "2",
                    "--baseline", "attention=31111-11111-31111", "--out", str(out)],
                   cwd=os.path.dirname(os.path.dirname(os.path.dirname(results_file))), check=True,
                   capture_output=True)
    return str(out / "retrain.h5")


def test_retrain_section_reports_the_file(results_file, retrain_file, tmp_path):
    assert report.main([results_file, "-o", str(tmp_path), "--retrain", retrain_file]) == 0
    md = (tmp_path / "report.md").read_text()
    assert "## Retrained front against the baselines" in md
    for name in ("retrain_loss_vs_cache.png", "retrain_loss_vs_params.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"({name})" in md
    with h5py.File(retrain_file) as f:
        names = [n.decode() for n in f["genomes/name"][()]]
        losses = f["genomes/loss"][()]
        params = f["genomes/parameters"][()]
        cache = f["genomes/cache_bytes_short"][()]
        assert int(f.attrs["token_budget"]) == 2 * 5120
    assert names[-1] == "attention" and len(names) == 3
    rows = list(csv.DictReader(open(tmp_path / "retrained.csv")))
    assert [r["name"] for r in rows] == names
    for row, loss, p, c in zip(rows, losses, params, cache):
        assert float(row["held-out loss"]) == pytest.approx(loss, abs=5e-5)
        assert float(row["bits/token"]) == pytest.approx(loss / np.log(2), abs=5e-5)
        assert int(row["parameters"]) == p and int(row["cache@4096"]) == c
    # Changes are against the first baseline: its own row reads +0.0%.
    assert rows[-1]["Δ loss"] == "+0.0%"
    assert rows[0]["Δ loss"] == f"{100 * (losses[0] / losses[-1] - 1):+.1f}%"
    # The verdict answers the paper's question about the baseline, yes or no.
    assert "**Verdict**" in md
    assert "at most half its cache at 4096 tokens" in md


def test_retrain_with_seeds_reports_each_genomes_mean(results_file, tmp_path_factory, tmp_path):
    """`star retrain --seeds 2`: every genome trains twice from different initial weights; the
    file holds each training, star's table and the report give each genome's mean."""
    star, mpiexec = os.environ.get("STAR_BIN"), os.environ.get("STAR_MPIEXEC", "mpirun")
    out = tmp_path_factory.mktemp("retrain_seeds")
    run = subprocess.run([mpiexec, "-np", "1", star, "retrain", results_file, "--top", "1", "--budget-factor", "2",
                          "--seeds", "2", "--baseline", "attention=31111-11111-31111", "--out", str(out)],
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(results_file))), check=True,
                         capture_output=True, text=True)
    assert "held-out loss over 2 seeds:" in run.stdout, run.stdout
    with h5py.File(out / "retrain.h5") as f:
        assert int(f.attrs["seeds"]) == 2
        names = [n.decode() for n in f["genomes/name"][()]]
        seeds = list(f["genomes/seed"][()])
        losses = f["genomes/loss"][()]
    assert seeds == [1, 1, 2, 2] and names[:2] == names[2:] and names[1] == "attention"
    assert losses[0] != losses[2] and losses[1] != losses[3], "the seeds trained the same model"
    assert report.main([results_file, "-o", str(tmp_path), "--retrain", str(out / "retrain.h5")]) == 0
    rows = list(csv.DictReader(open(tmp_path / "retrained.csv")))
    assert [r["name"] for r in rows] == names[:2]
    for i, row in enumerate(rows):
        assert float(row["held-out loss"]) == pytest.approx((losses[i] + losses[i + 2]) / 2, abs=5e-5)
        assert row["seeds"] == "2"
        low, high = sorted((losses[i], losses[i + 2]))
        assert row["range"] == f"{low:.4f}..{high:.4f}"
    assert "from 2 seeds each" in (tmp_path / "report.md").read_text()


def test_retrain_cache_lengths_follow_the_formula(results_file, retrain_file):
    retrain = star_results.load_retrain(retrain_file)
    results = star_results.load(results_file)
    model = results.config["model"]
    for _, r in retrain.genomes.iterrows():
        for length, column in zip(retrain.cache_lengths, ["cache_bytes_short", "cache_bytes_long"]):
            expected = genome_motifs.cache_bytes(genome_motifs.parse(r["genome"]), length, model["width"],
                                                 model.get("conv_taps", 3), 2, model["heads"])
            assert r[column] == expected, (r["genome"], length)


def test_a_results_file_is_not_a_retrain_file(results_file):
    with pytest.raises(ValueError, match="not a STAR retrain file"):
        star_results.load_retrain(results_file)

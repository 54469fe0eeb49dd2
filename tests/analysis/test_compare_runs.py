"""analysis/compare_runs.py on two real runs of the tiny search (star evolve under mpirun), without
and with hurdles."""
import math
import os
import subprocess
import sys

import h5py
import pytest

ROOT = os.environ.get("STAR_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "analysis"))

import compare_runs  # noqa: E402
import star_results  # noqa: E402


def evolve(work, name, extra_train=""):
    star, mpiexec = os.environ.get("STAR_BIN"), os.environ.get("STAR_MPIEXEC", "mpirun")
    if not star:
        pytest.skip("STAR_BIN is not set (ctest sets it)")
    config = open(os.path.join(ROOT, "tests", "data", "tiny.toml")).read()
    config = config.replace('name = "tiny"', f'name = "{name}"').replace("[train]\n", "[train]\n" + extra_train)
    (work / f"{name}.toml").write_text(config)
    subprocess.run([mpiexec, "-np", "2", star, "evolve", f"{name}.toml"], cwd=work, check=True, capture_output=True)
    return str(work / "runs" / name / "results.h5")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    work = tmp_path_factory.mktemp("runs")
    return evolve(work, "plain"), evolve(work, "hurdles", "hurdles = [[0.25, 50], [0.5, 50]]\n")


def tokens_in(path):
    with h5py.File(path) as f:
        return sum(int(f["generations"][g]["evaluated"]["tokens"][()].sum()) for g in f["generations"])


def test_tokens_and_hypervolumes_against_the_first_runs_reference(runs):
    plain, hurdles = (star_results.load(p) for p in runs)
    c = compare_runs.compare(plain, hurdles)
    assert c["tokens"] == (tokens_in(runs[0]), tokens_in(runs[1]))
    assert c["tokens"][1] < c["tokens"][0]  # the hurdles stopped genomes (tests/e2e/hurdles.sh)
    # Against its own reference, the first run's value is the one star recorded for it.
    box = math.prod(plain.hypervolume_reference)
    assert c["hypervolume"][0] == pytest.approx(plain.hypervolume[plain.generations[-1]] / box, rel=1e-9)
    assert 0 < c["hypervolume"][1] <= 1


def test_prints_each_pair_and_the_means(runs, capsys):
    assert compare_runs.main([runs[0], runs[1], runs[0], runs[0]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert "0.0% saved" in lines[1] and "(+0.0%)" in lines[1]
    assert lines[2].startswith("2 pairs: ")


def test_bad_input_is_a_clear_error(runs, tmp_path, capsys):
    assert compare_runs.main([runs[0]]) == 2
    assert "give them in pairs" in capsys.readouterr().err
    assert compare_runs.main([runs[0], str(tmp_path / "missing.h5")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("compare_runs: ") and "missing.h5" in err and len(err.strip().splitlines()) == 1

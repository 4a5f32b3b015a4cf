"""The analyst's journey in Debian's Chromium against ``streamlit run server.py``, in French and in
English. The data is made the way an operator makes it: ``users add`` for the analyst,
``seed-demo`` for a synthetic population and ``stats release --synthetic`` for a release of it.
The analyst signs in through the HTML form, picks the release, sees the synthetic banner, charts
and tables with "x" cells, downloads CSV, XLSX and Parquet (each file read back with csv, openpyxl
and pyarrow; each download written to the access log), and axe-core finds no WCAG 2.1 A/AA
violation on the dashboard. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, StreamlitServer, server_env
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_advisor_browser import sign_in
from tests.e2e.test_app_browser import shot, wait_for_run

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
ANALYST = "stat@gouv.qc.ca"
PERIOD = str(datetime.now(UTC).year)  # seed-demo spreads completions over the past year: most fall in this one

WORDS = {
    "fr": {"title": "Statistiques ministérielles", "release": "Diffusion", "synthetic": "Données synthétiques",
           "tag": "SYNTHÉTIQUE", "region": "Par région administrative", "sector": "Par groupe de secteurs",
           "show": "Voir le tableau", "downloads": "Téléchargements", "profiles": "Profils par dimension (score moyen)",
           "download": {"csv": "Télécharger en CSV", "xlsx": "Télécharger en XLSX (Excel)", "parquet": "Télécharger en Parquet"}},
    "en": {"title": "Ministry statistics", "release": "Release", "synthetic": "Synthetic data", "tag": "SYNTHETIC",
           "region": "By administrative region", "sector": "By sector group", "show": "Show the table", "downloads": "Downloads",
           "profiles": "Dimension profiles (mean score)",
           "download": {"csv": "Download as CSV", "xlsx": "Download as XLSX (Excel)", "parquet": "Download as Parquet"}},
}


def cli(url: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "cli.py", *args, "--url", url], input=stdin, text=True, cwd=ROOT, capture_output=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ministry-e2e")
    url = f"sqlite:///{directory / 'app.db'}"
    env = server_env(url)
    cli(url, "users", "add", ANALYST, "--name", "Analyste", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    cli(url, "seed-demo", "--n", "600", "--seed", "3")
    cli(url, "stats", "release", "--period", PERIOD, "--stage", "T0", "--synthetic")
    app = StreamlitServer("server.py", env, directory)
    app.start()
    yield app.url, url
    app.stop()


def archetype_names(lang: str) -> list[str]:
    """Every shape's and tier's name in ``lang`` (benchmarks/archetype_names.yaml)."""
    from benchmarks.archetype_names import load_names

    rules = load_names()
    return [r.name.get(lang) for r in rules.shapes] + [tier.name.get(lang) for tier in rules.tiers.values()]


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    wait_for_run(page)


def pick_release(page: Page, w: dict) -> None:
    """Choose the synthetic release of PERIOD in the release chooser."""
    page.get_by_test_id("stSelectbox").filter(has_text=w["release"]).first.click()
    page.keyboard.type(PERIOD)
    page.get_by_role("option").filter(has_text=w["tag"]).first.click()
    wait_for_run(page)


def download(page: Page, label: str) -> bytes:
    with page.expect_download() as started:
        page.get_by_role("button", name=label).click()
    return Path(started.value.path()).read_bytes()


def cells_of_csv(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return [v for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for v in row]


def cells_of_xlsx(data: bytes) -> list[object]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    assert "Notes" in book.sheetnames
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)  # never a formula
    return values


def cells_of_parquet(data: bytes) -> list[object]:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    assert table.schema.metadata  # release metadata travels with the file
    return [v for column in table.to_pydict().values() for v in column]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_analyst_picks_a_release_sees_x_downloads_each_format_and_axe_passes(server, browser, lang):
    base, url = server
    w = WORDS[lang]
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 2000})  # tall: more in each screenshot
    page = context.new_page()
    sign_in(page, base, lang, ANALYST)
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["title"])).to_be_visible()
    pick_release(page, w)
    expect(page.get_by_text(w["synthetic"]).first).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()  # the overview's histogram
    violations = {"overview": axe_violations(page)}
    shot(page, f"ministry-overview-{lang}")

    open_tab(page, w["region"])
    region = page.get_by_role("tabpanel", name=w["region"])
    expect(region.get_by_test_id("stVegaLiteChart")).to_be_visible()
    region.get_by_text(w["show"]).click()
    expect(region.get_by_role("table").first).to_be_visible()
    violations["regions"] = axe_violations(page)
    open_tab(page, w["sector"])
    sectors = page.get_by_role("tabpanel", name=w["sector"])
    expect(sectors.get_by_role("cell", name="x", exact=True).first).to_be_visible()  # the sector group x size band table
    violations["sectors"] = axe_violations(page)
    shot(page, f"ministry-sectors-{lang}")
    open_tab(page, w["profiles"])
    profiles = page.get_by_role("tabpanel", name=w["profiles"])
    profiles.get_by_text(w["show"]).last.click()  # the archetypes' table (after the heat map's)
    named = re.compile("|".join(re.escape(name) for name in archetype_names(lang)))
    expect(profiles.get_by_role("cell").filter(has_text=named).first).to_be_visible()  # named as firms see them, not "Profil A"
    violations["profiles"] = axe_violations(page)

    open_tab(page, w["downloads"])
    files = {fmt: download(page, label) for fmt, label in w["download"].items()}
    shot(page, f"ministry-downloads-{lang}")
    for fmt, read in (("csv", cells_of_csv), ("xlsx", cells_of_xlsx), ("parquet", cells_of_parquet)):
        values = read(files[fmt])
        assert "x" in values, fmt  # the status of suppressed cells
    context.close()

    from storage import open_repository

    log = [r for r in open_repository(url).users.access_log(limit=50) if r.email == ANALYST]
    assert sum("export" in r.action for r in log) >= 3  # each download is in the access log
    assert {name: found for name, found in violations.items() if found} == {}, json.dumps(violations, ensure_ascii=False)

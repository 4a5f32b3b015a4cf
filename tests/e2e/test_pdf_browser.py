"""The PDF download in a real browser: AppTest cannot read download bytes, Playwright can.

Reuses the e2e server and page helpers of tests/e2e (Debian's /usr/bin/chromium, throwaway SQLite).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import CHROMIUM_ARGS, AppServer
from tests.e2e.test_app_browser import FR, go_to_results, start, wait_for_run

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium not installed")]
HOSTILE = "Café <b>Bob & Fils</b>"


def test_download_builds_the_french_pdf_on_click(tmp_path):
    from playwright.sync_api import sync_playwright

    server = AppServer(f"sqlite:///{tmp_path / 'app.db'}", tmp_path)
    server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(server.url)
            wait_for_run(page)
            start(page, FR, name=HOSTILE)
            go_to_results(page, FR)
            button = page.get_by_role("button", name="Télécharger le rapport PDF")
            button.scroll_into_view_if_needed()
            with page.expect_download() as download:
                button.click()
            assert download.value.suggested_filename.startswith("feuille-de-route-")
            data = Path(download.value.path()).read_bytes()
            browser.close()
    finally:
        server.stop()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert HOSTILE in pages[0] and "Feuille de route numérique" in " ".join(pages)

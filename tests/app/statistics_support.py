"""Releases for the statistics page tests, stored in the test database and read back through the
real service: the hand-made fixture release (synthetic, 2026) and two official ones (2025, 2024)."""

from __future__ import annotations

from releases.model import Release
from tests.release_fixture import sample_release


def publish(access, monkeypatch=None) -> list[Release]:
    releases = [sample_release("r-2026"), sample_release("r-2025", period="2025", synthetic=False),
                sample_release("r-2024", period="2024", synthetic=False)]
    for release in releases:
        access.repo.statistics.save_release(release)
    return releases

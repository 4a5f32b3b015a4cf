"""The client address for resume throttling: the peer, or what our own proxies appended."""

from ui.client import address_from


def test_without_a_trusted_proxy_the_header_is_ignored():
    assert address_from({"X-Forwarded-For": "1.2.3.4"}, "10.0.0.5", hops=0) == "10.0.0.5"


def test_behind_one_trusted_proxy_the_last_entry_is_the_client():
    # A client can send its own X-Forwarded-For; HAProxy appends the real peer after it.
    headers = {"x-forwarded-for": "6.6.6.6, 198.51.100.7"}
    assert address_from(headers, "127.0.0.1", hops=1) == "198.51.100.7"
    assert address_from(headers, "127.0.0.1", hops=2) == "6.6.6.6"


def test_a_missing_header_behind_a_proxy_falls_back_to_the_peer():
    assert address_from({}, "127.0.0.1", hops=1) == "127.0.0.1"
    assert address_from({}, None, hops=0) is None

"""Which base URLs a test may target (TESTING_ALLOWED_TARGETS and the metadata address)."""
import pytest

from apps.testing.targets import TargetRefused, check_target


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000", "http://localhost:9000/", "http://[::1]:8080",
                                 "https://127.0.0.1/api"])
def test_loopback_is_allowed_by_default(url):
    assert check_target(url) == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://93.184.216.34",
                                 "http://example.com", "http://10.0.0.5:8000", "http://0.0.0.0:8000"])
def test_outside_hosts_and_metadata_are_refused(url):
    with pytest.raises(TargetRefused):
        check_target(url)


def test_metadata_address_stays_refused_even_if_everything_is_allowed():
    with pytest.raises(TargetRefused, match="metadata"):
        check_target("http://169.254.169.254/", allowed=["0.0.0.0/0", "::/0"])
    assert check_target("http://10.1.2.3:81", allowed=["0.0.0.0/0"]) == "http://10.1.2.3:81"


def test_a_network_in_the_allow_list_admits_its_addresses_only():
    assert check_target("http://10.0.0.5:8000", allowed=["10.0.0.0/8"])
    with pytest.raises(TargetRefused, match="not in TESTING_ALLOWED_TARGETS"):
        check_target("http://192.168.1.1", allowed=["10.0.0.0/8"])


@pytest.mark.parametrize("url,reason", [("ftp://127.0.0.1/", "http"), ("http://u:p@127.0.0.1/", "credentials"),
                                        ("http:///nohost", "host"), ("http://127.0.0.1/?q=1", "query"),
                                        ("http://no-such-host.invalid/", "resolved")])
def test_malformed_urls_are_refused_with_a_reason(url, reason):
    with pytest.raises(TargetRefused, match=reason):
        check_target(url)

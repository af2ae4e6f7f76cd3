"""ServerSettings: environment first, flags on top, clear errors naming the source."""

from __future__ import annotations

import dataclasses

import pytest

from eidos.errors import InvalidRequestError
from eidos.server.main import build_parser
from eidos.server.settings import OPTIONS, ServerSettings


def test_defaults_are_the_documented_production_values():
    s = ServerSettings.from_env({})
    assert (s.host, s.port, s.log_level) == ("0.0.0.0", 8080, "info")
    assert (s.rate_limit, s.rate_burst, s.client_rate_limit, s.client_rate_burst) == (
        100.0,
        200,
        50.0,
        100,
    )
    assert (s.handler_timeout, s.shutdown_timeout, s.shutdown_delay) == (30.0, 30.0, 0.0)
    assert s.workers == 1 and s.data is None and s.access_log is True
    assert (s.read_header_timeout, s.max_connections, s.keepalive_timeout) == (5.0, 1000, 120.0)


def test_every_variable_is_read():
    env = {
        "HOST": "127.0.0.1",
        "PORT": "9090",
        "LOG_LEVEL": " WARN ",
        "EIDOS_ACCESS_LOG": "off",
        "EIDOS_RATE_LIMIT": "0",
        "EIDOS_RATE_BURST": "5",
        "EIDOS_CLIENT_RATE_LIMIT": "2.5",
        "EIDOS_CLIENT_RATE_BURST": "7",
        "EIDOS_HANDLER_TIMEOUT": "1500ms",
        "EIDOS_SHUTDOWN_TIMEOUT": "1m",
        "EIDOS_SHUTDOWN_DELAY": "5",
        "EIDOS_KEEPALIVE_TIMEOUT": "75s",
        "EIDOS_READ_HEADER_TIMEOUT": "2s",
        "EIDOS_MAX_REQUEST_LINE": "4096",
        "EIDOS_MAX_HEADER_BYTES": "32768",
        "EIDOS_MAX_CONNECTIONS": "50",
        "EIDOS_MAX_BUNDLE_BODY": "65536",
        "EIDOS_BUNDLE_RATE_LIMIT": "0.5",
        "EIDOS_BUNDLE_RATE_BURST": "3",
        "EIDOS_CACHE_SIZE": "0",
        "EIDOS_DATA": "/data/recipes",
        "EIDOS_WORKERS": "4",
        "EIDOS_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1",
    }
    assert {o.env for o in OPTIONS} == set(env)
    s = ServerSettings.from_env(env)
    assert dataclasses.asdict(s) == {
        "host": "127.0.0.1",
        "port": 9090,
        "log_level": "warning",
        "access_log": False,
        "rate_limit": 0.0,
        "rate_burst": 5,
        "client_rate_limit": 2.5,
        "client_rate_burst": 7,
        "handler_timeout": 1.5,
        "shutdown_timeout": 60.0,
        "shutdown_delay": 5.0,
        "keepalive_timeout": 75.0,
        "read_header_timeout": 2.0,
        "max_request_line": 4096,
        "max_header_bytes": 32768,
        "max_connections": 50,
        "max_bundle_body": 65536,
        "bundle_rate_limit": 0.5,
        "bundle_rate_burst": 3,
        "cache_size": 0,
        "data": "/data/recipes",
        "workers": 4,
        "trusted_proxies": "10.0.0.0/8,127.0.0.1",
    }


def test_empty_variables_mean_the_default():
    assert ServerSettings.from_env({"PORT": "", "EIDOS_DATA": "  "}) == ServerSettings()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "8080abc"}, "invalid PORT '8080abc': expected an integer from 0 to 65535"),
        ({"PORT": "70000"}, "invalid PORT '70000'"),
        ({"EIDOS_RATE_LIMIT": "fast"}, "invalid EIDOS_RATE_LIMIT 'fast': expected requests per"),
        ({"EIDOS_RATE_LIMIT": "nan"}, "invalid EIDOS_RATE_LIMIT 'nan'"),
        ({"EIDOS_RATE_BURST": "0"}, "invalid EIDOS_RATE_BURST '0'"),
        (
            {"EIDOS_HANDLER_TIMEOUT": "0s"},
            "invalid EIDOS_HANDLER_TIMEOUT '0s': expected a duration",
        ),
        ({"EIDOS_SHUTDOWN_TIMEOUT": "-1s"}, "invalid EIDOS_SHUTDOWN_TIMEOUT '-1s'"),
        ({"EIDOS_SHUTDOWN_DELAY": "2d"}, "invalid EIDOS_SHUTDOWN_DELAY '2d'"),
        ({"LOG_LEVEL": "trace"}, "invalid LOG_LEVEL 'trace': expected one of debug, info"),
        ({"EIDOS_ACCESS_LOG": "maybe"}, "invalid EIDOS_ACCESS_LOG 'maybe': expected true or false"),
        ({"HOST": "local host"}, "invalid HOST 'local host'"),
        ({"HOST": "999.1.1.1"}, "invalid HOST '999.1.1.1': expected an IP address"),
        ({"HOST": "-bad-.example"}, "invalid HOST '-bad-.example'"),
        ({"EIDOS_WORKERS": "65"}, "invalid EIDOS_WORKERS '65'"),
        ({"EIDOS_MAX_CONNECTIONS": "0"}, "invalid EIDOS_MAX_CONNECTIONS '0'"),
        ({"EIDOS_READ_HEADER_TIMEOUT": "0"}, "invalid EIDOS_READ_HEADER_TIMEOUT '0'"),
        (
            {"EIDOS_TRUSTED_PROXIES": "not-an-ip,999.1.1.1/99"},
            "invalid EIDOS_TRUSTED_PROXIES 'not-an-ip,999.1.1.1/99': expected comma-separated "
            "IP addresses or networks (10.0.0.0/8), or \"*\" alone; 'not-an-ip' is neither",
        ),
        ({"EIDOS_TRUSTED_PROXIES": "10.0.0.0/99"}, "invalid EIDOS_TRUSTED_PROXIES '10.0.0.0/99'"),
        ({"EIDOS_TRUSTED_PROXIES": "*,10.0.0.1"}, "invalid EIDOS_TRUSTED_PROXIES '*,10.0.0.1'"),
        ({"EIDOS_TRUSTED_PROXIES": " , "}, "invalid EIDOS_TRUSTED_PROXIES ' , '"),
    ],
)
def test_invalid_values_name_the_variable(env, message):
    with pytest.raises(InvalidRequestError) as caught:
        ServerSettings.from_env(env)
    assert caught.value.message.startswith(message)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("variable", "given", "kept"),
    [
        ("HOST", "::", "::"),
        ("HOST", "[::1]", "::1"),
        ("HOST", "localhost", "localhost"),
        ("HOST", "api.eidos.example.", "api.eidos.example."),
        ("EIDOS_TRUSTED_PROXIES", "*", "*"),
        (
            "EIDOS_TRUSTED_PROXIES",
            " 10.0.0.0/8 ,fd00::/8,192.0.2.7",
            "10.0.0.0/8,fd00::/8,192.0.2.7",
        ),
    ],
)
def test_valid_addresses_are_accepted(variable, given, kept):
    option = next(o for o in OPTIONS if o.env == variable)
    assert getattr(ServerSettings.from_env({variable: given}), option.field) == kept


def test_flags_win_over_the_environment_and_errors_name_the_flag():
    base = ServerSettings.from_env({"PORT": "9000", "EIDOS_RATE_LIMIT": "10"})
    args = vars(build_parser().parse_args(["--port", "9100", "--shutdown-delay", "250ms"]))
    s = base.with_flags(args)
    assert (s.port, s.rate_limit, s.shutdown_delay) == (9100, 10.0, 0.25)
    with pytest.raises(InvalidRequestError, match=r"invalid --rate-limit '-3'"):
        base.with_flags(vars(build_parser().parse_args(["--rate-limit", "-3"])))


def test_every_option_has_a_flag_and_a_field():
    fields = {f.name for f in dataclasses.fields(ServerSettings)}
    assert [o.field for o in OPTIONS] == [f.name for f in dataclasses.fields(ServerSettings)]
    assert fields == {o.field for o in OPTIONS}
    assert all(o.flag.startswith("--") for o in OPTIONS)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ServerSettings().port = 1  # type: ignore[misc]


def test_docs_list_every_setting_with_its_flag():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    for option in OPTIONS:
        assert f"| `{option.env}` | `{option.flag}` |" in doc, option.env

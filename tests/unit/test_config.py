"""config.toml: the example is valid once a secret is given; every mistake is one clear line naming the key."""
from pathlib import Path

import pytest

from bot.config import ConfigError, load

ROOT = Path(__file__).resolve().parents[2]

MINIMAL = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@relais:example.org"
password = "s3cret"
"""


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_with_password_from_environment():
    config = load(ROOT / "config.example.toml", env={"RELAIS_MATRIX_PASSWORD": "from-env"})
    assert config.matrix.password == "from-env"
    assert config.bot.language == "fr" and config.bot.timezone == "Europe/Paris"
    assert config.storage_url == "sqlite+aiosqlite:///relais.db"


def test_defaults_apply_to_a_minimal_config(tmp_path):
    config = load(write(tmp_path, MINIMAL), env={})
    assert config.bot.prefix == "!"
    assert config.bot.coordinator_power_level == 50
    assert config.bot.allowed_inviters == ()
    assert config.matrix.device_name == "relais"


def test_reminders_section(tmp_path):
    from datetime import time, timedelta

    config = load(write(tmp_path, MINIMAL + '[reminders]\nmeeting = ["1h", "2d", "30m"]\naction_due = []\n'
                                           'late_grace = "90m"\noverdue_digest = "18:30"\n'), env={})
    r = config.reminders
    assert r.meeting == (timedelta(days=2), timedelta(hours=1), timedelta(minutes=30))  # longest first
    assert r.action_due == () and r.late_grace == timedelta(minutes=90) and r.overdue_digest == time(18, 30)
    assert config.defaults.overdue_digest_time == time(18, 30)


def test_environment_token_wins_over_file(tmp_path):
    config = load(write(tmp_path, MINIMAL), env={"RELAIS_MATRIX_ACCESS_TOKEN": "tok"})
    assert config.matrix.access_token == "tok"


@pytest.mark.parametrize("text, message", [
    (MINIMAL.replace('homeserver = "https://matrix.example.org"\n', ""), "[matrix] homeserver is missing"),
    (MINIMAL.replace("https://matrix.example.org", "matrix.example.org"), "[matrix] homeserver must be an http(s) URL"),
    (MINIMAL.replace("@relais:example.org", "relais"), "[matrix] user_id must look like @name:server.tld"),
    (MINIMAL.replace('password = "s3cret"', ""), "[matrix] password or access_token is required"),
    (MINIMAL + '[bot]\nlanguage = "de"\n', "[bot] language must be fr or en"),
    (MINIMAL + '[bot]\ntimezone = "Mars/Olympus"\n', "[bot] timezone unknown IANA time zone"),
    (MINIMAL + '[bot]\ncoordinator_power_level = "50"\n', "[bot] coordinator_power_level must be an integer"),
    (MINIMAL + '[bot]\nallowed_inviters = ["alice"]\n', "[bot] allowed_inviters entries are user ids"),
    (MINIMAL + '[bot]\nlangage = "fr"\n', "[bot] unknown key 'langage'"),
    (MINIMAL + '[stockage]\nurl = "x"\n', "unknown section [stockage]"),
    (MINIMAL + '[reminders]\nmeeting = ["demain"]\n', "[reminders] meeting entries are durations"),
    (MINIMAL + '[reminders]\nlate_grace = "12"\n', "[reminders] late_grace must be a duration"),
    (MINIMAL + '[reminders]\noverdue_digest = "9h"\n', "[reminders] overdue_digest must be a time of day"),
    ("[matrix\n", "not valid TOML"),
])
def test_a_wrong_key_is_one_line_naming_key_and_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load(path, env={})
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_missing_file_says_how_to_start(tmp_path):
    with pytest.raises(ConfigError, match="config.example.toml"):
        load(tmp_path / "nope.toml", env={})


def test_cli_prints_one_line_and_exits_2_on_a_bad_config(tmp_path, capsys):
    from bot.__main__ import main

    path = write(tmp_path, MINIMAL + '[bot]\nlanguage = "de"\n')
    assert main(["--config", str(path), "run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "[bot] language" in err and "Traceback" not in err

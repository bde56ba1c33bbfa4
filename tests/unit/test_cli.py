"""`python -m bot parse-date`: the same date code path as the chat commands, for scripts and checks."""
import subprocess
import sys

from bot.__main__ import main


def test_parse_date_prints_iso_8601(capsys):
    assert main(["parse-date", "mercredi 12 mai à 18h", "--now", "2021-04-27T20:00",
                 "--tz", "Europe/Paris", "--lang", "fr"]) == 0
    assert capsys.readouterr().out.strip() == "2021-05-12T18:00:00+02:00"


def test_parse_date_english_and_other_zone(capsys):
    assert main(["parse-date", "next monday 6pm", "--now", "2021-04-27T20:00",
                 "--tz", "America/Montreal", "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "2021-05-03T18:00:00-04:00"


def test_parse_date_error_says_why_and_exits_1(capsys):
    assert main(["parse-date", "la saint-glinglin", "--now", "2021-04-27T20:00"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Je ne comprends pas la date « la saint-glinglin ». Exemples :")


def test_parse_date_past_in_english(capsys):
    assert main(["parse-date", "yesterday", "--now", "2021-04-27T20:00", "--lang", "en"]) == 1
    assert capsys.readouterr().err.startswith("“yesterday” is already past.")


def test_module_entry_point_runs_as_a_program():
    out = subprocess.run([sys.executable, "-m", "bot", "parse-date", "demain 18h", "--now", "2021-04-27T20:00"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "2021-04-28T18:00:00+02:00"

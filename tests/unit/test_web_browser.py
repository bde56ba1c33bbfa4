"""The web pages in a real browser: Chromium and chromedriver from the distribution (apt, see .ci/run), driven by
Selenium pointed at /usr/bin/chromedriver (nothing downloaded at run time). The home page and a minutes page load,
show what the room recorded, log no console error, and leave a screenshot each in test-artifacts/web/."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.unit.test_web_pages import hold_meeting, web  # noqa: F401  (the fixture: a room served over HTTP)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=420,900",
                "--disable-gpu", "--no-first-run"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def visit(driver, url: str, shot: str) -> tuple[str, str, list[dict]]:
    """Load `url` (blocking: run in a thread, the server answers on the test's event loop); its h1, its whole
    text, the console's errors; a screenshot saved."""
    driver.get(url)
    h1 = driver.find_element(By.TAG_NAME, "h1").text
    text = driver.find_element(By.TAG_NAME, "body").text
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / shot))
    return h1, text, errors


async def test_home_and_minutes_in_chromium(web, browser):  # noqa: F811
    url = await web.turn_on()
    await web.say("!réunion prévoir mardi 4 mai 2021 19h Plénière à la Maison des assos")
    await hold_meeting(web)
    print(f"screenshots in {ARTIFACTS}")

    h1, text, errors = await asyncio.to_thread(visit, browser, url, "home.png")
    assert h1 == "Pacte <climat>"
    assert "Prochaines réunions" in text and "P1 Plénière" in text and "imprimer les tracts" in text
    assert "On marche le 9 mai" in text
    assert errors == []
    assert browser.execute_script("return document.documentElement.lang") == "fr"

    h1, text, errors = await asyncio.to_thread(visit, browser, url + "minutes/1", "minutes-1.png")
    assert h1 == "Plénière d'avril — la réunion du 27 avril 2021"
    assert "Marche pour le climat" in text and "La préfecture a répondu <script>alert(1)</script>" in text
    assert errors == []
    assert (ARTIFACTS / "home.png").stat().st_size > 0 and (ARTIFACTS / "minutes-1.png").stat().st_size > 0

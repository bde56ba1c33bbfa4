"""Words people type in dates, in French and English — tables only, no logic.

Every key is *folded*: lower case, accents removed, typographic apostrophes made straight
(see `words.fold_phrase`), so "Août", "aout" and "AOÛT" are one entry. Both languages live in the
same tables on purpose: rooms are often bilingual and a phrase is read the same way whatever
the room's language.
"""
from __future__ import annotations

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7,
    "aout": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}

# Monday is 0, as in datetime.weekday().
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "monday": 0,
    "mardi": 1, "tuesday": 1,
    "mercredi": 2, "wednesday": 2,
    "jeudi": 3, "thursday": 3,
    "vendredi": 4, "friday": 4,
    "samedi": 5, "saturday": 5,
    "dimanche": 6, "sunday": 6,
}

# Abbreviations are only accepted in front of a date ("mer. 12 mai", "Wed 12 May"): on their
# own they are ordinary words too often ("la mer", "Sam", "dim", "sun").
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "lun": 0, "mon": 0,
    "mar": 1, "tue": 1, "tues": 1,
    "mer": 2, "wed": 2,
    "jeu": 3, "thu": 3, "thur": 3, "thurs": 3,
    "ven": 4, "fri": 4,
    "sam": 5, "sat": 5,
    "dim": 6, "sun": 6,
}

# Days counted from today. Yesterday is here so that "hier" is reported as past, not as gibberish.
RELATIVE_DAYS: dict[str, int] = {
    "aujourd'hui": 0, "aujourdhui": 0, "aujourd hui": 0, "auj": 0, "today": 0,
    "demain": 1, "tomorrow": 1, "tmrw": 1,
    "apres-demain": 2, "apres demain": 2, "day after tomorrow": 2, "overmorrow": 2,
    "hier": -1, "yesterday": -1,
    "avant-hier": -2, "avant hier": -2, "day before yesterday": -2,
}

# Small numbers written as words ("dans deux jours", "in a week"). "a"/"an" are the English
# article; they never collide with "à", which only appears in front of a time.
NUMBERS: dict[str, int] = {
    "un": 1, "une": 1, "a": 1, "an": 1, "one": 1,
    "deux": 2, "two": 2,
    "trois": 3, "three": 3,
    "quatre": 4, "four": 4,
    "cinq": 5, "five": 5,
    "six": 6,
    "sept": 7, "seven": 7,
    "huit": 8, "eight": 8,
    "neuf": 9, "nine": 9,
    "dix": 10, "ten": 10,
    "onze": 11, "eleven": 11,
    "douze": 12, "twelve": 12,
    "quinze": 15, "fifteen": 15,
    "vingt": 20, "twenty": 20,
    "trente": 30, "thirty": 30,
}

# Units of "dans N …" / "in N …". Hours and minutes give an exact instant; the others give a day.
CLOCK_UNITS: dict[str, str] = {
    "minute": "minutes", "minutes": "minutes", "min": "minutes", "mins": "minutes", "mn": "minutes",
    "heure": "hours", "heures": "hours", "h": "hours", "hour": "hours", "hours": "hours",
    "hr": "hours", "hrs": "hours",
}
CALENDAR_UNITS: dict[str, str] = {
    "jour": "days", "jours": "days", "j": "days", "day": "days", "days": "days",
    "semaine": "weeks", "semaines": "weeks", "sem": "weeks", "week": "weeks", "weeks": "weeks",
    "mois": "months", "month": "months", "months": "months",
    "an": "years", "ans": "years", "annee": "years", "annees": "years", "year": "years", "years": "years",
}

# Named times of day.
NAMED_TIMES: dict[str, tuple[int, int]] = {
    "midi": (12, 0), "noon": (12, 0),
    "minuit": (0, 0), "midnight": (0, 0),
}

# Parts of the day: the time they stand for when no time is given, and whether a bare small hour
# in them is an afternoon/evening one ("ce soir à 8h" is 20:00).
PERIODS: dict[str, tuple[tuple[int, int], bool]] = {
    "matin": ((9, 0), False), "matinee": ((9, 0), False), "morning": ((9, 0), False),
    "apres-midi": ((14, 0), True), "apres midi": ((14, 0), True), "aprem": ((14, 0), True),
    "afternoon": ((14, 0), True),
    "soir": ((20, 0), True), "soiree": ((20, 0), True), "evening": ((20, 0), True),
    "night": ((20, 0), True),
}
# Words that pin a part of the day to today: "ce soir", "cet après-midi", "this evening".
THIS_PERIOD = ("ce", "cet", "cette", "this")
TONIGHT = ("tonight",)

# Month parts: which day of the month they mean; None is the last day.
# Why 10 / 15 / last: for deadlines ("pour début juin") the end of the window is the fair reading,
# and the first third of a month ends on the 10th; "mi" is its middle; "fin" is its last day.
MONTH_PARTS: dict[str, int | None] = {
    "debut": 10, "early": 10, "beginning of": 10, "start of": 10,
    "mi": 15, "mid": 15, "middle of": 15,
    "fin": None, "end of": None, "late": None,
}
# The same words applied to a week: Monday, Wednesday, Sunday (a collective's week includes its weekend).
WEEK_PARTS: dict[str, int] = {
    "debut": 0, "early": 0, "beginning of": 0, "start of": 0,
    "mi": 2, "mid": 2, "middle of": 2,
    "fin": 6, "end of": 6, "late": 6,
}

# Words around a weekday. "prochain"/"next" is the next occurrence (same as a bare weekday);
# "ce"/"this" allows today; "en huit" is a week after the next one; "dernier"/"last" is in the past.
THIS_WEEKDAY = ("ce", "cet", "cette", "this", "this coming")
NEXT_WEEKDAY_BEFORE = ("next",)
NEXT_WEEKDAY_AFTER = ("prochain", "prochaine", "qui vient")
WEEK_AFTER_NEXT_AFTER = ("en huit", "en 8")
LAST_WEEKDAY_BEFORE = ("last",)
LAST_WEEKDAY_AFTER = ("dernier", "derniere")

# What starts a duration: "dans 3 jours", "in 2 weeks", "d'ici 3 jours".
DURATION_LEADS = ("dans", "in", "d'ici", "dici", "within")

# Other little words the grammar uses ("fin du mois", "end of the month", "in 3 days from now").
# find_date only looks at runs of words found in these tables.
LINK_WORDS = ("de", "du", "d'", "la", "ce", "cette", "au", "of", "the", "this", "from", "now",
              "mois", "month", "semaine", "week", "heure", "heures", "demi", "demi-heure", "half")

# Little words that may precede a date or a time and carry no meaning of their own.
DAY_ARTICLES = ("le", "on", "the")
TIME_ARTICLES = ("a", "at", "vers", "around", "@")

# Keywords that introduce an action's deadline at the end of its text. Longest first matters:
# "due by" must win over "due" so that "by" does not stay in the text.
DEADLINE_KEYWORDS = ("d'ici", "dici", "avant", "pour",
                     "due by", "due on", "due before", "due", "before", "by")

# For format_when. Indexed by weekday() and by month - 1.
DAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTH_NAMES = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin",
           "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"),
}

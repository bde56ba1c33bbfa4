"""The message catalogue: every user-facing text, in French and English, side by side.

One module per capability. Each defines MESSAGES = {key: {"fr": template, "en": template}}.
Templates use str.format fields and a small HTML subset (see handlers/text.py).
"""
from handlers.catalogue import actions, core, dates, followup, meetings, people, schedule

MODULES = [core, dates, people, actions, meetings, followup, schedule]

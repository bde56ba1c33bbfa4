"""Texts of scheduled meetings (!réunion prévoir|liste|annuler|déplacer), their reminders, !abonner /
!désabonner, and !agenda."""

from handlers.core.catalogue import Catalogue
from handlers.core.texts import MESSAGES as CORE_MESSAGES

EXAMPLES = {
    "fr": "<code>{p}réunion prévoir mercredi 12 mai à 18h Examiner les propositions à la Maison des "
    "associations</code>, <code>{p}réunion prévoir tous les lundis à 18h Point hebdo</code>",
    "en": "<code>{p}meeting schedule Wednesday 12 May at 6pm Review the proposals at the town hall</code>, "
    "<code>{p}meeting schedule every monday at 6pm Weekly check-in</code>",
}

HOW = {
    "fr": "<b>Prévoir une réunion</b> (coordinateurs) : <code>{p}réunion prévoir &lt;date et heure&gt; "
    "&lt;titre&gt; [à &lt;lieu&gt;] [lien]</code>. La date est cherchée dans le texte, le reste est le titre ; "
    "le lieu suit le dernier « à », « au », « chez » ou « lieu : » ; un lien (visio) va n'importe où. Mettez le "
    "titre entre guillemets s'il contient lui-même « à » : <code>\"Préparation à la fête\" mardi 18h à la MJC</code>.<br>"
    "<b>Réunions régulières</b> : <code>tous les lundis</code>, <code>chaque mardi</code>, <code>tous les lundis "
    "et jeudis</code>, <code>un lundi sur deux</code>, <code>tous les 15 jours</code> (toutes les deux semaines), "
    "<code>toutes les 2 semaines le mardi</code>, <code>tous les jours</code>, <code>tous les mois</code>, "
    "<code>le premier mardi du mois</code>, <code>le dernier vendredi du mois</code>, "
    "<code>le 15 de chaque mois</code> — avec une heure (<code>à 18h</code>), et si besoin une fin "
    "(<code>jusqu'au 30 juin</code> ou <code>10 fois</code>) et un début (<code>à partir du 3 mai</code>). "
    "L'heure reste la même, heure d'été comme d'hiver.<br>"
    "<b>Première date</b> : un jour de la semaine nommé seul n'est jamais aujourd'hui — <code>lundi à 18h</code>, "
    "<code>tous les lundis à 18h</code> ou <code>un lundi sur deux</code> tapé un lundi commence le lundi suivant "
    "(<code>tous les lundis et jeudis</code> peut commencer le jeudi de cette semaine). Une règle qui nomme une "
    "date, ou aucun jour de la semaine (<code>tous les jours</code>, <code>le 15 de chaque mois</code>, "
    "<code>le premier mardi du mois</code>), commence à sa première date encore à venir, aujourd'hui compris : "
    "<code>tous les jours à 18h</code> tapé à 10h commence aujourd'hui à 18h ; <code>à partir du 3 mai</code> "
    "commence le 3 mai inclus. Un jour de la semaine écrit avec une date doit être le sien : "
    "<code>samedi 9 mai</code> est refusé si le 9 mai est un dimanche.<br>"
    "Exemples : " + EXAMPLES["fr"] + ".",
    "en": "<b>Scheduling a meeting</b> (coordinators): <code>{p}meeting schedule &lt;date and time&gt; "
    "&lt;title&gt; [at &lt;place&gt;] [link]</code>. The date is found inside the text, the rest is the title; "
    "the place follows the last “at” (or “à”, “chez”, “location:”); a link (video call) may go anywhere. "
    "Quote the title if it contains “at” itself: <code>\"Look at the budget\" tuesday 6pm at the hall</code>.<br>"
    "<b>Recurring meetings</b>: <code>every monday</code>, <code>every monday and thursday</code>, "
    "<code>every other monday</code>, <code>every 2 weeks</code>, <code>every 2 weeks on tuesday</code>, "
    "<code>every day</code>, <code>every month</code>, <code>every first tuesday of the month</code>, "
    "<code>every last friday of the month</code>, <code>on the 15th of every month</code> — with a time "
    "(<code>at 6pm</code>), and if needed an end (<code>until June 30</code> or <code>10 times</code>) and a start "
    "(<code>from May 3</code>). The time stays the same in summer and winter time.<br>"
    "<b>First date</b>: a weekday named alone is never today — <code>monday 6pm</code>, "
    "<code>every monday at 6pm</code> or <code>every other monday</code> typed on a Monday starts next Monday "
    "(<code>every monday and thursday</code> may start on this week's Thursday). A rule that names a date, or no "
    "weekday (<code>every day</code>, <code>on the 15th of every month</code>, "
    "<code>every first tuesday of the month</code>), starts on its first date still to come, today included: "
    "<code>every day at 6pm</code> typed at 10am starts today at 6pm; <code>from May 3</code> starts on 3 May, "
    "included. A weekday written with a date must be that date's: <code>Saturday 9 May</code> is refused if "
    "9 May is a Sunday.<br>"
    "Examples: " + EXAMPLES["en"] + ".",
}

RULES = {
    "fr": "Rappels avant chaque réunion (<code>{p}réglages rappels-réunion</code>, 24 h et 1 h par défaut) : "
    "dans le salon, et par message privé aux coordinateurs et aux personnes abonnées (<code>{p}abonner</code>). "
    "Un rappel manqué pendant un arrêt de Relais part au redémarrage, marqué « en retard », sauf si la réunion a "
    "déjà commencé. <code>{p}réunion liste</code> montre les prochaines dates et leurs numéros (P1, P2…) ; "
    "<code>{p}réunion annuler P&lt;N&gt;</code> annule la réunion (toutes les dates d'une série), "
    "<code>{p}réunion annuler P&lt;N&gt; &lt;date&gt;</code> une seule date ; <code>{p}réunion déplacer P&lt;N&gt; &lt;date&gt;</code> "
    "déplace une réunion unique, ou la prochaine date d'une série (un jour sans heure garde l'heure prévue). "
    "Prévoir, annuler, déplacer : coordinateurs. <code>{p}réunion début</code> dans les deux heures autour d'une "
    "réunion prévue la reprend (son titre si aucun n'est donné). <code>{p}agenda</code> exporte le tout.",
    "en": "Reminders before each meeting (<code>{p}settings meeting-reminders</code>, 24 h and 1 h by default): "
    "in the room, and by direct message to coordinators and to subscribed people (<code>{p}subscribe</code>). "
    "A reminder missed while Relais was stopped is sent when it starts again, marked “late”, unless the meeting "
    "has already begun. <code>{p}meeting list</code> shows the next dates and their numbers (P1, P2…); "
    "<code>{p}meeting cancel P&lt;N&gt;</code> cancels the meeting (every date of a series), "
    "<code>{p}meeting cancel P&lt;N&gt; &lt;date&gt;</code> one date only; <code>{p}meeting move P&lt;N&gt; &lt;date&gt;</code> moves "
    "a one-off meeting, or the next date of a series (a day without a time keeps the planned time). "
    "Schedule, cancel, move: coordinators. <code>{p}meeting start</code> within two hours of a scheduled "
    "meeting takes it up (its title if none is given). <code>{p}calendar</code> exports them all.",
}

MESSAGES = {
    # --- help
    "schedule.help": {"fr": HOW["fr"] + "<br>" + RULES["fr"], "en": HOW["en"] + "<br>" + RULES["en"]},
    # The description of the scheduling lines of `!aide réunion` (sub-commands this capability adds to !réunion).
    "meeting.sub.schedule": {
        "fr": "prévoit une réunion, unique ou régulière (<code>tous les lundis à 18h</code>), avec des rappels dans "
        "le salon et par message privé (coordinateurs) ; seul, explique comment écrire dates, lieux et récurrences",
        "en": "schedule a meeting, one-off or recurring (<code>every monday at 6pm</code>), with reminders in the "
        "room and by direct message (coordinators); alone, explains how to write dates, places and recurrences",
    },
    "meeting.sub.list": {
        "fr": "les réunions prévues (P1, P2…) et leurs prochaines dates (aussi <code>{p}réunions à venir</code>)",
        "en": "the scheduled meetings (P1, P2…) and their next dates (also <code>{p}meetings upcoming</code>)",
    },
    "meeting.sub.cancel": {
        "fr": "annule la réunion prévue P&lt;N&gt;, toutes ses dates, ou seulement la date donnée (coordinateurs)",
        "en": "cancel scheduled meeting P&lt;N&gt;, every date, or only the date given (coordinators)",
    },
    "meeting.sub.move": {
        "fr": "déplace une réunion prévue, ou la prochaine date d'une série ; un jour sans heure garde l'heure "
        "prévue (coordinateurs)",
        "en": "move a scheduled meeting, or the next date of a series; a day without a time keeps the planned "
        "time (coordinators)",
    },
    "schedule.arg.text": {
        "fr": "&lt;date et heure&gt; &lt;titre&gt; [à &lt;lieu&gt;]",
        "en": "&lt;date and time&gt; &lt;title&gt; [at &lt;place&gt;]",
    },
    "schedule.arg.text_overview": {
        "fr": "&lt;date et heure&gt; &lt;titre&gt;", "en": "&lt;date and time&gt; &lt;title&gt;",
    },
    "schedule.arg.day": {"fr": "date", "en": "date"},
    # --- the room's reminders before a meeting (a setting: handlers/schedule/jobs.py)
    "settings.name.meeting": {"fr": "Rappels avant les réunions", "en": "reminders before meetings"},
    "settings.sub.meeting": {
        "fr": "les rappels avant chaque réunion prévue", "en": "the reminders before each scheduled meeting",
    },
    "settings.show.meeting": {
        "fr": "<br>Rappels avant les réunions : {value}", "en": "<br>Reminders before meetings: {value}",
    },
    # The bounds of a series (handlers/dates/recurrence.py MAX_COUNT, dates.py MAX_YEARS_AHEAD), said by
    # !réunion prévoir like the other RecurrenceError codes ("schedule.<code>").
    "schedule.bad_count": {
        "fr": "« {phrase} » : une série a de 1 à 1000 dates, la dernière au plus 10 ans à l'avance. "
        "Écrivez par exemple <code>10 fois</code>, ou une date de fin (<code>jusqu'au 30 juin</code>).",
        "en": "“{phrase}”: a series has 1 to 1000 dates, the last one at most 10 years ahead. "
        "Write for example <code>10 times</code>, or an end date (<code>until June 30</code>).",
    },

    # --- !réunion prévoir
    "schedule.created": {
        "fr": "<b>Réunion prévue P{number}</b>{title}",
        "en": "<b>Scheduled meeting P{number}</b>{title}",
    },
    "schedule.title_part": {"fr": " : « {title} »", "en": ": “{title}”"},
    "schedule.when_once": {"fr": "Quand : {when} ({tz})", "en": "When: {when} ({tz})"},
    "schedule.when_series": {
        "fr": "Quand : {rule}, à partir du {first} ({tz})",
        "en": "When: {rule}, starting {first} ({tz})",
    },
    "schedule.next_dates": {"fr": "Prochaines dates : {dates}", "en": "Next dates: {dates}"},
    "schedule.place": {"fr": "Lieu : {place}", "en": "Place: {place}"},
    "schedule.link": {"fr": "Lien : {link}", "en": "Link: {link}"},
    "schedule.reminders": {
        "fr": "Rappels : {offsets} avant, dans le salon et par message privé aux coordinateurs et aux abonnés "
        "(<code>{p}abonner</code>).",
        "en": "Reminders: {offsets} before, in the room and by direct message to coordinators and subscribers "
        "(<code>{p}subscribe</code>).",
    },
    "schedule.reminders_skipped": {
        "fr": " Trop tard cette fois pour celui de {offsets} avant.",
        "en": " Too late this time for the one {offsets} before.",
    },
    "schedule.reminders_none": {
        "fr": "Pas de rappel : ce salon n'en a pas (<code>{p}réglages rappels-réunion 24h 1h</code> pour en avoir).",
        "en": "No reminders: this room has none (<code>{p}settings meeting-reminders 24h 1h</code> to get some).",
    },
    "schedule.no_date": {
        "fr": "Je ne trouve pas de date dans « {text} ». Exemples : " + EXAMPLES["fr"] + ".",
        "en": "I can't find a date in “{text}”. Examples: " + EXAMPLES["en"] + ".",
    },
    "schedule.needs_time": {
        "fr": "« {phrase} » : à quelle heure ? Ajoutez l'heure, par exemple <code>{phrase} à 18h</code>.",
        "en": "“{phrase}”: at what time? Add the time, for example <code>{phrase} at 6pm</code>.",
    },
    "schedule.count_and_until": {
        "fr": "« {phrase} » : donnez soit une date de fin (<code>jusqu'au …</code>), soit un nombre de fois "
        "(<code>10 fois</code>), pas les deux.",
        "en": "“{phrase}”: give either an end date (<code>until …</code>) or a number of times "
        "(<code>10 times</code>), not both.",
    },
    "schedule.no_occurrence": {
        "fr": "Aucune date à venir ne correspond à « {phrase} » (la fin est-elle avant le début ?).",
        "en": "No date to come matches “{phrase}” (is the end before the start?).",
    },

    # --- recurrence in words
    "recurrence.daily": {"fr": "tous les jours", "en": "every day"},
    "recurrence.daily_n": {"fr": "tous les {n} jours", "en": "every {n} days"},
    "recurrence.weekly": {"fr": "tous les {days}", "en": "every {days}"},
    "recurrence.weekly_2": {"fr": "un {days} sur deux", "en": "every other {days}"},
    "recurrence.weekly_n": {"fr": "toutes les {n} semaines, le {days}", "en": "every {n} weeks on {days}"},
    "recurrence.monthly_nth": {"fr": "le {nth} {day} du mois", "en": "on the {nth} {day} of the month"},
    "recurrence.monthly_day": {"fr": "le {day} de chaque mois", "en": "on the {day} of every month"},
    "recurrence.every_n_months": {"fr": "{rule}, tous les {n} mois", "en": "{rule}, every {n} months"},
    "recurrence.at": {"fr": "{rule} à {time}", "en": "{rule} at {time}"},
    "recurrence.until": {"fr": "{rule}, jusqu'au {day}", "en": "{rule}, until {day}"},
    "recurrence.count": {"fr": "{rule}, {n} fois", "en": "{rule}, {n} times"},
    "recurrence.and": {"fr": " et ", "en": " and "},
    "recurrence.nth.1": {"fr": "premier", "en": "first"},
    "recurrence.nth.2": {"fr": "deuxième", "en": "second"},
    "recurrence.nth.3": {"fr": "troisième", "en": "third"},
    "recurrence.nth.4": {"fr": "quatrième", "en": "fourth"},
    "recurrence.nth.5": {"fr": "cinquième", "en": "fifth"},
    "recurrence.nth.-1": {"fr": "dernier", "en": "last"},
    "recurrence.nth.-2": {"fr": "avant-dernier", "en": "second-to-last"},

    # --- !réunion liste / !réunions à venir
    "schedule.list": {
        "fr": "<b>Réunions à venir</b>{items}<code>{p}réunion annuler P&lt;N&gt; [date]</code>, "
        "<code>{p}réunion déplacer P&lt;N&gt; &lt;date&gt;</code> ; <code>{p}agenda</code> pour les importer dans "
        "un agenda.",
        "en": "<b>Upcoming meetings</b>{items}<code>{p}meeting cancel P&lt;N&gt; [date]</code>, "
        "<code>{p}meeting move P&lt;N&gt; &lt;date&gt;</code>; <code>{p}calendar</code> to import them into a "
        "calendar.",
    },
    "schedule.line": {
        "fr": "P{number}{title} — {when}{moved}{details}",
        "en": "P{number}{title} — {when}{moved}{details}",
    },
    "schedule.line_series": {"fr": " — {rule}", "en": " — {rule}"},
    "schedule.line_then": {"fr": " (puis {dates})", "en": " (then {dates})"},
    "schedule.line_place": {"fr": " — {place}", "en": " — {place}"},
    "schedule.moved_mark": {"fr": " <i>(déplacée)</i>", "en": " <i>(moved)</i>"},
    "schedule.list_none": {
        "fr": "Aucune réunion prévue dans ce salon. Un coordinateur peut en prévoir une, par exemple "
        "<code>{p}réunion prévoir mercredi 12 mai à 18h Examiner les propositions</code>.",
        "en": "No meeting is scheduled in this room. A coordinator can schedule one, for example "
        "<code>{p}meeting schedule Wednesday 12 May at 6pm Review the proposals</code>.",
    },

    # --- !réunion annuler / déplacer
    "schedule.no_such": {
        "fr": "Il n'y a pas de réunion prévue P{number} dans ce salon. <code>{p}réunion liste</code> les montre.",
        "en": "There is no scheduled meeting P{number} in this room. <code>{p}meeting list</code> shows them.",
    },
    "schedule.cancelled": {
        "fr": "Réunion prévue P{number}{title} annulée.",
        "en": "Scheduled meeting P{number}{title} cancelled.",
    },
    "schedule.series_cancelled": {
        "fr": "Réunion prévue P{number}{title} annulée, toutes ses dates ({rule}). Pour une seule date : "
        "<code>{p}réunion annuler P{number} &lt;date&gt;</code>.",
        "en": "Scheduled meeting P{number}{title} cancelled, every date ({rule}). For one date only: "
        "<code>{p}meeting cancel P{number} &lt;date&gt;</code>.",
    },
    "schedule.occurrence_cancelled": {
        "fr": "La réunion prévue P{number}{title} du {when} est annulée. {next}",
        "en": "Scheduled meeting P{number}{title} of {when} is cancelled. {next}",
    },
    "schedule.next_one": {"fr": "La suivante : {when}.", "en": "The next one: {when}."},
    "schedule.no_next": {"fr": "Il n'y a plus de date à venir.", "en": "No date is left to come."},
    "schedule.not_that_day": {
        "fr": "La réunion prévue P{number}{title} n'a pas lieu le {day}. {next}",
        "en": "Scheduled meeting P{number}{title} does not take place on {day}. {next}",
    },
    "schedule.nothing_to_come": {
        "fr": "La réunion prévue P{number}{title} n'a plus de date à venir.",
        "en": "Scheduled meeting P{number}{title} has no date left to come.",
    },
    "schedule.moved": {
        "fr": "Réunion prévue P{number}{title} déplacée : {old} → <b>{new}</b>.",
        "en": "Scheduled meeting P{number}{title} moved: {old} → <b>{new}</b>.",
    },
    "schedule.moved_series": {
        "fr": "Réunion prévue P{number}{title} : la date du {old} passe au <b>{new}</b> ; les suivantes ne "
        "changent pas.",
        "en": "Scheduled meeting P{number}{title}: the date of {old} moves to <b>{new}</b>; the following ones do "
        "not change.",
    },

    # --- reminders
    "schedule.remind": {
        "fr": "<b>Rappel</b> : réunion P{number}{title} le {when}{soon}.{details}",
        "en": "<b>Reminder</b>: meeting P{number}{title} on {when}{soon}.{details}",
    },
    "schedule.remind_dm": {
        "fr": "<b>Rappel</b> : réunion P{number}{title} dans {room} le {when}{soon}.{details}",
        "en": "<b>Reminder</b>: meeting P{number}{title} in {room} on {when}{soon}.{details}",
    },
    # The time actually left when the reminder goes out (later than planned if Relais was stopped).
    "schedule.soon": {"fr": " (dans {delay})", "en": " (in {delay})"},
    "schedule.now": {"fr": " (elle commence maintenant)", "en": " (starting now)"},
    "schedule.started_ago": {"fr": " (commencée il y a {delay})", "en": " (started {delay} ago)"},
    "schedule.remind_place": {"fr": "<br>Lieu : {place}", "en": "<br>Place: {place}"},
    "schedule.remind_link": {"fr": "<br>Lien : {link}", "en": "<br>Link: {link}"},
    "schedule.remind_moved": {"fr": " <i>(date modifiée)</i>", "en": " <i>(date changed)</i>"},
    "schedule.remind_subscriber": {
        "fr": "<br><i>Vous êtes abonné·e aux rappels de ce salon : <code>{p}désabonner</code> dans le salon pour "
        "ne plus les recevoir.</i>",
        "en": "<br><i>You subscribed to this room's reminders: <code>{p}unsubscribe</code> in the room to stop "
        "them.</i>",
    },

    # --- !réunion début of a scheduled meeting
    "schedule.started_from": {
        "fr": "C'est la réunion prévue P{number}{title} du {when}.",
        "en": "This is scheduled meeting P{number}{title} of {when}.",
    },

    # --- !abonner / !désabonner
    "subscribe.summary": {
        "fr": "recevoir par message privé les rappels des réunions prévues dans ce salon",
        "en": "get the reminders of this room's scheduled meetings by direct message",
    },
    "subscribe.details": {
        "fr": "Relais vous écrit en privé (un seul salon privé avec vous, réutilisé) avant chaque réunion prévue "
        "dans ce salon. Les coordinateurs les reçoivent de toute façon. <code>{p}désabonner</code> pour arrêter.",
        "en": "Relais writes to you privately (one direct chat with you, reused) before each meeting scheduled in "
        "this room. Coordinators get them anyway. <code>{p}unsubscribe</code> to stop.",
    },
    "subscribe.done": {
        "fr": "C'est noté : vous recevrez par message privé les rappels des réunions prévues dans ce salon. "
        "<code>{p}désabonner</code> pour arrêter.",
        "en": "Done: you will get the reminders of this room's scheduled meetings by direct message. "
        "<code>{p}unsubscribe</code> to stop.",
    },
    "subscribe.already": {
        "fr": "Vous êtes déjà abonné·e aux rappels de ce salon. <code>{p}désabonner</code> pour arrêter.",
        "en": "You are already subscribed to this room's reminders. <code>{p}unsubscribe</code> to stop.",
    },
    "unsubscribe.summary": {
        "fr": "ne plus recevoir les rappels de ce salon par message privé",
        "en": "stop getting this room's reminders by direct message",
    },
    "unsubscribe.done": {
        "fr": "C'est noté : plus de rappels de ce salon par message privé.",
        "en": "Done: no more reminders from this room by direct message.",
    },
    "unsubscribe.not_subscribed": {
        "fr": "Vous n'étiez pas abonné·e aux rappels de ce salon.",
        "en": "You were not subscribed to this room's reminders.",
    },
    "subscribe.coordinator_note": {
        "fr": " Comme coordinateur·rice de ce salon, vous recevez les rappels de toute façon.",
        "en": " As a coordinator of this room, you get the reminders anyway.",
    },

    # --- !agenda
    "calendar.summary": {
        "fr": "publie les réunions prévues du salon dans un fichier d'agenda (.ics)",
        "en": "post the room's scheduled meetings as a calendar file (.ics)",
    },
    "calendar.details": {
        "fr": "Le fichier s'importe dans tout agenda (Thunderbird, Google, Apple, Outlook…) : les réunions régulières "
        "y sont des séries, avec les dates annulées ou déplacées. Chaque réunion y dure 2 h (durée indicative). "
        "Ligne de commande : <code>python -m bot calendar export --room &lt;salon&gt; &gt; agenda.ics</code>.",
        "en": "The file imports into any calendar (Thunderbird, Google, Apple, Outlook…): recurring meetings are "
        "series there, with their cancelled or moved dates. Each meeting lasts 2 h there (an indication). "
        "Command line: <code>python -m bot calendar export --room &lt;room&gt; &gt; agenda.ics</code>.",
    },
    "calendar.caption": {
        "fr": "Agenda du salon : {count} réunion(s) prévue(s). Importez le fichier <code>{filename}</code> dans "
        "votre agenda.",
        "en": "Room calendar: {count} scheduled meeting(s). Import the file <code>{filename}</code> into your "
        "calendar.",
    },
    "calendar.none": {
        "fr": "Aucune réunion prévue dans ce salon : l'agenda serait vide. " "<code>{p}réunion prévoir</code> en prévoit une.",
        "en": "No meeting is scheduled in this room: the calendar would be empty. "
        "<code>{p}meeting schedule</code> schedules one.",
    },
    "calendar.name": {"fr": "Réunions — {room}", "en": "Meetings — {room}"},
    "calendar.untitled": {"fr": "Réunion", "en": "Meeting"},
    "calendar.description": {
        "fr": "Réunion prévue P{number} dans {room} (Relais).",
        "en": "Scheduled meeting P{number} in {room} (Relais).",
    },
}

# What scheduled meetings say outside a command (reminders, the calendar file), and the shared texts they use.
TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)

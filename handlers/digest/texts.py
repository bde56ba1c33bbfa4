"""What the weekly digest and the countdowns say (handlers/digest)."""
from handlers.core.catalogue import Catalogue
from handlers.core.texts import MESSAGES as CORE_MESSAGES

MESSAGES = {
    "help.section.digest": {"fr": "Résumé de la semaine", "en": "Weekly digest"},
    "countdown.span": {"fr": "{years} {months} mois {days}", "en": "{years} {months} {days}"},
    # --- !résumé / !digest ---------------------------------------------------------------------------------
    "digest.summary": {
        "fr": "le résumé de la semaine : actions, réunions, comptes à rebours",
        "en": "the week's digest: actions, meetings, countdowns",
    },
    "digest.details": {
        "fr": "Chaque semaine, Relais publie le résumé du salon au jour et à l'heure choisis (par défaut le lundi "
              "à 9h00) ; on peut le recevoir en message privé (<code>{p}abonner résumé</code>) ou sur une liste "
              "de diffusion (<code>{p}réglages liste-de-diffusion adresse@exemple.org</code>).",
        "en": "Every week, Relais posts the room's digest on the chosen day and time (by default Monday at "
              "09:00); it can come by direct message (<code>{p}subscribe digest</code>) or to a mailing list "
              "(<code>{p}settings mailing-list address@example.org</code>).",
    },
    "digest.sub.now": {
        "fr": "le résumé de la semaine en cours, tout de suite ; avec un jour et une heure (coordinateurs) : "
              "quand le publier chaque semaine",
        "en": "the current week's digest, now; with a day and a time (coordinators): when to post it each week",
    },
    "digest.sub.last week": {"fr": "le résumé de la semaine dernière", "en": "last week's digest"},
    "digest.sub.off": {"fr": "plus de résumé automatique (coordinateurs)",
                       "en": "no automatic digest any more (coordinators)"},
    "digest.sub.on": {"fr": "le résumé automatique à nouveau (coordinateurs)",
                      "en": "the automatic digest again (coordinators)"},
    "digest.arg.when": {"fr": "<jour> <heure>", "en": "<day> <time>"},
    "digest.bad_when": {
        "fr": "Je ne comprends pas « {value} » : écrivez un jour de la semaine et une heure, par exemple "
              "<code>{p}résumé lundi 9h00</code>.",
        "en": "I don't understand “{value}”: write a weekday and a time, e.g. <code>{p}digest monday 09:00</code>.",
    },
    "digest.planned": {
        "fr": "Le résumé sera publié chaque {day} à {time} ({tz}). Prochain : {when}.",
        "en": "The digest will be posted every {day} at {time} ({tz}). Next: {when}.",
    },
    "digest.turned_off": {
        "fr": "Plus de résumé automatique dans ce salon. <code>{p}résumé on</code> pour le rétablir.",
        "en": "No more automatic digest in this room. <code>{p}digest on</code> to restore it.",
    },
    # --- the digest itself -----------------------------------------------------------------------------------
    "digest.title": {
        "fr": "<b>📋 {room} — résumé de la semaine du {start} au {end}</b>",
        "en": "<b>📋 {room} — digest of the week of {start} to {end}</b>",
    },
    "digest.late": {"fr": "<i>(résumé en retard)</i> ", "en": "<i>(late digest)</i> "},
    "digest.quiet": {
        "fr": "Semaine calme : rien de neuf du {start} au {end}, aucune action en cours ni réunion prévue.",
        "en": "A quiet week: nothing new from {start} to {end}, no open action and no meeting planned.",
    },
    "digest.part": {"fr": "<b>{title}</b>{items}", "en": "<b>{title}</b>{items}"},
    "digest.actions.done": {"fr": "✅ Actions faites cette semaine", "en": "✅ Actions done this week"},
    "digest.actions.new": {"fr": "🆕 Nouvelles actions", "en": "🆕 New actions"},
    "digest.actions.overdue": {"fr": "⚠️ Actions en retard", "en": "⚠️ Overdue actions"},
    "digest.actions.soon": {"fr": "⏳ À rendre dans les 7 jours", "en": "⏳ Due in the next 7 days"},
    "digest.actions.per_person": {"fr": "👥 Actions ouvertes par personne", "en": "👥 Open actions per person"},
    "digest.actions.per_theme": {"fr": "🏷️ Actions ouvertes par thème", "en": "🏷️ Open actions per theme"},
    "digest.action": {"fr": "#{number} {text}{details}", "en": "#{number} {text}{details}"},
    "digest.action.by": {"fr": " — {who}", "en": " — {who}"},
    "digest.action.due": {"fr": " (échéance : {when})", "en": " (due: {when})"},
    "digest.action.late": {"fr": " (échéance : {when}, {days} j de retard)", "en": " (due: {when}, {days} d late)"},
    "digest.count": {"fr": "{name} : {n}", "en": "{name}: {n}"},
    "digest.theme": {"fr": "{name} ({referent}) : {n}", "en": "{name} ({referent}): {n}"},
    "digest.theme.referent": {"fr": "référent·e : {name}", "en": "referent: {name}"},
    "digest.theme.no_referent": {"fr": "sans référent·e", "en": "no referent"},
    "digest.nobody": {"fr": "sans responsable", "en": "unassigned"},
    "digest.meetings.held": {"fr": "🗓️ Réunions tenues", "en": "🗓️ Meetings held"},
    "digest.meeting": {
        "fr": "n°{number}{title}, {when} — {present} présent·es, {excused} excusé·es{scribe}{decisions}",
        "en": "n°{number}{title}, {when} — {present} present, {excused} excused{scribe}{decisions}",
    },
    "digest.meeting.title": {"fr": " « {title} »", "en": " “{title}”"},
    "digest.meeting.scribe": {"fr": ", secrétaire : {name}", "en": ", minute-taker: {name}"},
    "digest.meeting.decisions": {"fr": " ; décisions : {items}", "en": "; decisions: {items}"},
    "digest.meetings.next": {"fr": "📅 Prochaines réunions", "en": "📅 Next meetings"},
    "digest.next": {"fr": "P{number}{title}, {when}{place}{link}", "en": "P{number}{title}, {when}{place}{link}"},
    "digest.next.place": {"fr": ", à {place}", "en": ", at {place}"},
    "digest.next.link": {"fr": ", {link}", "en": ", {link}"},
    "digest.countdowns": {"fr": "⏱️ Comptes à rebours", "en": "⏱️ Countdowns"},
    # --- !compte-à-rebours / !countdown ------------------------------------------------------------------------
    "countdown.summary": {
        "fr": "les dates lointaines à ne pas perdre de vue, et le temps qui reste",
        "en": "long-range dates to keep in sight, and the time left",
    },
    "countdown.details": {
        "fr": "<code>{p}compte-à-rebours 2026-06-30 fin du mandat</code> (coordinateurs) ; seul, la liste ; le "
              "salon est prévenu le jour venu, et le résumé de la semaine les rappelle.",
        "en": "<code>{p}countdown 2026-06-30 end of the term</code> (coordinators); alone, the list; the room is "
              "told when the day comes, and the weekly digest shows them.",
    },
    "countdown.sub.add": {
        "fr": "ajoute un compte à rebours (coordinateurs) ; seul, les liste",
        "en": "add a countdown (coordinators); alone, list them",
    },
    "countdown.sub.cancel": {"fr": "retire un compte à rebours (coordinateurs)",
                             "en": "remove a countdown (coordinators)"},
    "countdown.arg.what": {"fr": "<date> <libellé>", "en": "<date> <label>"},
    "countdown.no_label": {
        "fr": "Il manque le libellé : <code>{p}compte-à-rebours 2026-06-30 fin du mandat</code>.",
        "en": "The label is missing: <code>{p}countdown 2026-06-30 end of the term</code>.",
    },
    "countdown.added": {"fr": "Compte à rebours n°{number} : {left}.", "en": "Countdown n°{number}: {left}."},
    "countdown.left": {"fr": "{span} avant {label} ({date})", "en": "{span} until {label} ({date})"},
    "countdown.today": {"fr": "c'est aujourd'hui : {label} ({date})", "en": "today is the day: {label} ({date})"},
    "countdown.passed": {"fr": "passé : {label} ({date})", "en": "past: {label} ({date})"},
    "countdown.list": {"fr": "<b>Comptes à rebours</b>{items}", "en": "<b>Countdowns</b>{items}"},
    "countdown.item": {"fr": "n°{number} — {left}", "en": "n°{number} — {left}"},
    "countdown.empty": {
        "fr": "Aucun compte à rebours. <code>{p}compte-à-rebours 2026-06-30 fin du mandat</code> pour en créer un.",
        "en": "No countdown. <code>{p}countdown 2026-06-30 end of the term</code> to add one.",
    },
    "countdown.no_such": {"fr": "Il n'y a pas de compte à rebours n°{number}.",
                          "en": "There is no countdown n°{number}."},
    "countdown.cancelled": {"fr": "Compte à rebours n°{number} retiré : {label}.",
                            "en": "Countdown n°{number} removed: {label}."},
    "countdown.reached": {"fr": "⏱️ Nous y sommes : {label} ({date}).", "en": "⏱️ The day has come: {label} ({date})."},
    "countdown.too_many": {"fr": "Ce salon a déjà {max} comptes à rebours ; retirez-en un d'abord.",
                           "en": "This room already has {max} countdowns; remove one first."},
    # --- subscriptions and the mailing list -------------------------------------------------------------------
    "subscribe.sub.digest": {"fr": "recevoir le résumé de la semaine en message privé",
                             "en": "get the weekly digest by direct message"},
    "unsubscribe.sub.digest": {"fr": "ne plus recevoir le résumé en message privé",
                               "en": "stop getting the digest by direct message"},
    "digest.subscribed": {
        "fr": "Vous recevrez le résumé de la semaine de ce salon en message privé.",
        "en": "You will get this room's weekly digest by direct message.",
    },
    "digest.already_subscribed": {"fr": "Vous recevez déjà le résumé en message privé.",
                                  "en": "You already get the digest by direct message."},
    "digest.unsubscribed": {"fr": "Vous ne recevrez plus le résumé en message privé.",
                            "en": "You will not get the digest by direct message any more."},
    "digest.not_subscribed": {"fr": "Vous ne receviez pas le résumé en message privé.",
                              "en": "You were not getting the digest by direct message."},
    "digest.dm": {"fr": "Résumé du salon {room} :<br>", "en": "Digest of the room {room}:<br>"},
    "settings.name.mailing_list": {"fr": "Liste de diffusion du résumé", "en": "digest mailing list"},
    "settings.sub.mailing_list": {
        "fr": "l'adresse où envoyer le résumé de la semaine par courriel (<code>aucune</code> : plus d'envoi)",
        "en": "the address the weekly digest is e-mailed to (<code>none</code>: no more e-mail)",
    },
    "settings.show.mailing_list": {"fr": "<br>Liste de diffusion du résumé : {value}",
                                   "en": "<br>Digest mailing list: {value}"},
    "settings.arg.address": {"fr": "<adresse>", "en": "<address>"},
    "digest.no_mailing_list": {"fr": "aucune", "en": "none"},
    "digest.bad_address": {
        "fr": "« {value} » n'est pas une adresse électronique : écrivez par exemple <code>liste@exemple.org</code>.",
        "en": "“{value}” is not an e-mail address: write for example <code>list@example.org</code>.",
    },
    "digest.email_subject": {"fr": "[{room}] Résumé de la semaine du {start}",
                             "en": "[{room}] Digest of the week of {start}"},
    "digest.email_failed": {
        "fr": "Le résumé de la semaine n'a pas pu être envoyé à la liste {address} : {error}.",
        "en": "The weekly digest could not be e-mailed to {address}: {error}.",
    },
}

TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)

"""Texts of mobilisations (!mobilisation, !mobilisations, !participe, !désiste), their countdown notices and
direct messages; TEXTS for what is said outside a command."""

from handlers.core.catalogue import Catalogue
from handlers.core.texts import MESSAGES as CORE_MESSAGES

MESSAGES = {
    # --- !aide
    "help.section.mobilisations": {"fr": "Mobilisations", "en": "Mobilizations"},
    "mobilisation.summary": {"fr": "annoncer une mobilisation (marche, action publique) et compter les participants",
                             "en": "announce a mobilization (march, public action) and count who comes"},
    "mobilisation.details": {
        "fr": "Annonce (coordinateurs) : <code>{p}mobilisation &lt;date et heure&gt; &lt;titre&gt; [à &lt;lieu&gt;] "
        "[par &lt;organisation&gt;] [lien]</code> (ou <code>{p}marche</code>). On participe en réagissant ✅ ou 👍 "
        "à l'annonce, ou avec <code>{p}participe M&lt;N&gt; [+2]</code> ; on se désiste en retirant la réaction ou "
        "avec <code>{p}désiste M&lt;N&gt;</code>.",
        "en": "Announcement (coordinators): <code>{p}mobilization &lt;date and time&gt; &lt;title&gt; [at "
        "&lt;place&gt;] [by &lt;organisation&gt;] [link]</code> (or <code>{p}march</code>). People join by reacting "
        "✅ or 👍 to the announcement, or with <code>{p}join M&lt;N&gt; [+2]</code>; they withdraw by removing the "
        "reaction or with <code>{p}leave M&lt;N&gt;</code>.",
    },
    "mobilisation.sub.announce": {"fr": "annoncer une mobilisation (coordinateurs), ou <code>M&lt;N&gt;</code> : la voir",
                                  "en": "announce a mobilization (coordinators), or <code>M&lt;N&gt;</code>: show it"},
    "mobilisation.sub.edit": {"fr": "changer titre, lieu, lien ou organisation (coordinateurs)",
                              "en": "change its title, place, link or organiser (coordinators)"},
    "mobilisation.sub.cancel": {"fr": "l'annuler ; les participants sont prévenus (coordinateurs)",
                                "en": "cancel it; participants are told (coordinators)"},
    "mobilisation.sub.move": {"fr": "changer sa date ; les participants sont prévenus (coordinateurs)",
                              "en": "change its date; participants are told (coordinators)"},
    "mobilisations.summary": {"fr": "les mobilisations à venir", "en": "upcoming mobilizations"},
    "mobilisations.details": {"fr": "<code>{p}mobilisations toutes</code> : aussi les passées et les annulées.",
                              "en": "<code>{p}mobilizations all</code>: past and cancelled ones too."},
    "mobilisations.sub.list": {"fr": "les mobilisations à venir (<code>toutes</code> : toutes)",
                               "en": "upcoming mobilizations (<code>all</code>: every one)"},
    "join.summary": {"fr": "participer à une mobilisation", "en": "join a mobilization"},
    "join.details": {"fr": "<code>{p}participe M1 +2</code> compte deux accompagnant·es.",
                     "en": "<code>{p}join M1 +2</code> counts two guests."},
    "join.sub.join": {"fr": "participer (avec des accompagnant·es : <code>+2</code>)",
                      "en": "join (with guests: <code>+2</code>)"},
    "leave.summary": {"fr": "se désister d'une mobilisation", "en": "withdraw from a mobilization"},
    "leave.details": {"fr": "Retirer sa réaction ✅ ou 👍 sur l'annonce fait de même.",
                      "en": "Removing one's ✅ or 👍 reaction from the announcement does the same."},
    "leave.sub.leave": {"fr": "se désister", "en": "withdraw"},
    "mobilisation.arg.text": {"fr": "&lt;date et heure&gt; &lt;titre&gt; [à &lt;lieu&gt;] [lien] | M&lt;N&gt;",
                              "en": "&lt;date and time&gt; &lt;title&gt; [at &lt;place&gt;] [link] | M&lt;N&gt;"},
    "mobilisation.arg.ref": {"fr": "M&lt;N&gt;", "en": "M&lt;N&gt;"},
    "mobilisation.arg.field": {"fr": "titre|lieu|lien|par", "en": "title|place|link|by"},
    "mobilisation.arg.reason": {"fr": "raison", "en": "reason"},
    "mobilisation.arg.all": {"fr": "toutes", "en": "all"},
    "mobilisation.arg.guests": {"fr": "+accompagnant·es", "en": "+guests"},
    "mobilisation.help": {
        "fr": "<b>Annoncer une mobilisation</b> (coordinateurs) : <code>{p}mobilisation &lt;date et heure&gt; "
        "&lt;titre&gt; [à &lt;lieu&gt;] [par &lt;organisation&gt;] [lien]</code>, par exemple <code>{p}marche "
        "dimanche 9 mai 14h Marche pour le climat à la Grand-Place, Lille https://example.org/marche</code>. "
        "<code>{p}mobilisation M1</code> la montre, <code>{p}mobilisations</code> les liste ; "
        "<code>{p}mobilisation modifier|annuler|déplacer M1 …</code>. On participe en réagissant ✅ ou 👍 à "
        "l'annonce ou avec <code>{p}participe M1 [+2]</code>, on se désiste avec <code>{p}désiste M1</code>.",
        "en": "<b>Announcing a mobilization</b> (coordinators): <code>{p}mobilization &lt;date and time&gt; "
        "&lt;title&gt; [at &lt;place&gt;] [by &lt;organisation&gt;] [link]</code>, for example <code>{p}march "
        "Sunday 9 May 2pm Climate march at the Grand-Place, Lille https://example.org/march</code>. "
        "<code>{p}mobilization M1</code> shows it, <code>{p}mobilizations</code> lists them; "
        "<code>{p}mobilization edit|cancel|move M1 …</code>. People join by reacting ✅ or 👍 to the announcement "
        "or with <code>{p}join M1 [+2]</code>, and withdraw with <code>{p}leave M1</code>.",
    },
    "settings.name.mobilisation": {"fr": "Rappels avant les mobilisations", "en": "countdown before mobilizations"},
    "settings.sub.mobilisation": {"fr": "les annonces avant chaque mobilisation (J-7, J-3…)",
                                  "en": "the countdown notices before each mobilization"},
    "settings.show.mobilisation": {"fr": "<br>Rappels avant les mobilisations : {value}",
                                   "en": "<br>Countdown before mobilizations: {value}"},
    "mobilisation.sub.relay": {"fr": "l'annoncer dans un autre salon où vous êtes coordinateur ; les participants "
                               "y comptent aussi (coordinateurs)",
                               "en": "announce it in another room where you are a coordinator; people joining there "
                               "count too (coordinators)"},
    "mobilisation.arg.room": {"fr": "#salon:serveur", "en": "#room:server"},
    "mobilisation.relayed_from": {"fr": "Relayée depuis : {room}", "en": "Relayed from: {room}"},
    "mobilisation.per_room": {"fr": "Par salon : {rooms}", "en": "Per room: {rooms}"},
    "mobilisation.origin_only": {
        "fr": "La mobilisation M{number} est relayée ici depuis « {room} » : c'est là qu'on la modifie, la déplace, "
        "l'annule ou la relaie.",
        "en": "Mobilization M{number} is relayed here from “{room}”: edit, move, cancel or relay it there."},
    "mobilisation.relay_where": {"fr": "Dans quel salon ? <code>{p}mobilisation M{number} relayer #salon:serveur</code>",
                                 "en": "To which room? <code>{p}mobilization M{number} relay #room:server</code>"},
    "mobilisation.relay_unknown_room": {
        "fr": "Je ne suis pas dans le salon « {room} » : invitez-moi d'abord (ou donnez son identifiant !…).",
        "en": "I am not in the room “{room}”: invite me first (or give its id !…)."},
    "mobilisation.relay_same_room": {"fr": "La mobilisation M{number} est déjà annoncée dans ce salon.",
                                     "en": "Mobilization M{number} is already announced in this room."},
    "mobilisation.relay_not_coordinator": {
        "fr": "Pour relayer dans « {room} », il faut y être coordinateur (niveau {level}).",
        "en": "To relay to “{room}”, you must be a coordinator there (level {level})."},
    "mobilisation.relay_already": {"fr": "La mobilisation M{number} est déjà relayée dans « {room} » (M{there} là-bas).",
                                   "en": "Mobilization M{number} is already relayed to “{room}” (M{there} there)."},
    "mobilisation.relayed": {
        "fr": "📣 Mobilisation M{number} relayée dans « {room} », où elle est M{there} ; les participants de là-bas "
        "comptent aussi.",
        "en": "📣 Mobilization M{number} relayed to “{room}”, where it is M{there}; people joining there count too."},
    "mobilisation.sub.leaflet": {"fr": "joindre le tract (un lien) : annonce, rappels (coordinateurs)",
                                 "en": "attach the leaflet (a link): announcement, countdown (coordinators)"},
    "mobilisation.arg.link": {"fr": "lien", "en": "link"},
    "mobilisation.tract": {"fr": "Tract : {tract}", "en": "Leaflet: {tract}"},
    "mobilisation.bad_tract": {"fr": "Donnez le lien du tract : <code>{p}mobilisation M{number} tract https://…</code>",
                               "en": "Give the leaflet's link: <code>{p}mobilization M{number} leaflet https://…</code>"},
    "mobilisation.tract_set": {"fr": "Tract joint à la mobilisation M{number} « {title} » : il figure dans l'annonce "
                               "et dans chaque rappel.",
                               "en": "Leaflet attached to mobilization M{number} “{title}”: it is in the announcement "
                               "and every countdown notice."},
    # --- announcement and view
    "mobilisation.announce": {"fr": "📣 <b>Mobilisation M{number} : {title}</b>",
                              "en": "📣 <b>Mobilization M{number}: {title}</b>"},
    "mobilisation.announce_cancelled": {"fr": "❌ <b>ANNULÉE — Mobilisation M{number} : {title}</b>",
                                        "en": "❌ <b>CANCELLED — Mobilization M{number}: {title}</b>"},
    "mobilisation.show": {"fr": "<b>Mobilisation M{number} : {title}</b>", "en": "<b>Mobilization M{number}: {title}</b>"},
    "mobilisation.when": {"fr": "Quand : {when} ({tz})", "en": "When: {when} ({tz})"},
    "mobilisation.place": {"fr": "Lieu : {place}", "en": "Place: {place}"},
    "mobilisation.link": {"fr": "Lien : {link}", "en": "Link: {link}"},
    "mobilisation.organiser": {"fr": "Organisé par : {organiser}", "en": "Organised by: {organiser}"},
    "mobilisation.count": {"fr": "Participants : <b>{count}</b>", "en": "Taking part: <b>{count}</b>"},
    "mobilisation.count_guests": {"fr": "Participants : <b>{count}</b> (dont {guests} accompagnant·es)",
                                  "en": "Taking part: <b>{count}</b> (of whom {guests} guests)"},
    "mobilisation.names": {"fr": "Qui : {names}", "en": "Who: {names}"},
    "mobilisation.how_to_join": {
        "fr": "Pour participer : réagissez ✅ ou 👍 à ce message, ou <code>{p}participe M{number}</code> "
        "(<code>+2</code> pour des accompagnant·es) ; pour vous désister : <code>{p}désiste M{number}</code>.",
        "en": "To join: react ✅ or 👍 to this message, or <code>{p}join M{number}</code> (<code>+2</code> for "
        "guests); to withdraw: <code>{p}leave M{number}</code>.",
    },
    "mobilisation.countdown_planned": {"fr": "Annonces avant la mobilisation : {offsets}.",
                                       "en": "Countdown notices: {offsets}."},
    "mobilisation.morning_word": {"fr": "le matin même", "en": "on the morning"},
    # --- bad input
    "mobilisation.no_date": {
        "fr": "Je ne trouve pas de date dans « {text} ». Écrivez par exemple <code>{p}mobilisation dimanche 9 mai 14h "
        "Marche pour le climat à la Grand-Place</code>.",
        "en": "I can't find a date in “{text}”. Write for example <code>{p}mobilization Sunday 9 May 2pm Climate "
        "march at the Grand-Place</code>.",
    },
    "mobilisation.needs_time": {"fr": "« {phrase} » n'a pas d'heure : à quelle heure ? (par exemple <code>14h</code>)",
                                "en": "“{phrase}” has no time: at what time? (for example <code>2pm</code>)"},
    "mobilisation.no_title": {"fr": "Il manque le titre de la mobilisation (avant « à &lt;lieu&gt; »).",
                              "en": "The mobilization needs a title (before “at &lt;place&gt;”)."},
    "mobilisation.no_such": {"fr": "Il n'y a pas de mobilisation M{number} dans ce salon (<code>{p}mobilisations</code>).",
                             "en": "There is no mobilization M{number} in this room (<code>{p}mobilizations</code>)."},
    "mobilisation.bad_ref": {
        "fr": "« {ref} » n'est pas un numéro de mobilisation : elles s'écrivent M1, M2… (#1 est une action, P1 une "
        "réunion prévue).",
        "en": "“{ref}” is not a mobilization number: they are written M1, M2… (#1 is an action, P1 a scheduled "
        "meeting).",
    },
    "mobilisation.bad_field": {"fr": "« {field} » : je peux modifier titre, lieu, lien ou par (l'organisation). "
                               "Pour la date : <code>{p}mobilisation déplacer</code>.",
                               "en": "“{field}”: I can edit title, place, link or by (the organiser). For the "
                               "date: <code>{p}mobilization move</code>."},
    "mobilisation.bad_link": {"fr": "« {value} » n'est pas un lien (http…).", "en": "“{value}” is not a link (http…)."},
    "mobilisation.bad_all": {"fr": "« {word} » : écrivez <code>{p}mobilisations</code> ou <code>{p}mobilisations "
                             "toutes</code>.", "en": "“{word}”: write <code>{p}mobilizations</code> or "
                             "<code>{p}mobilizations all</code>."},
    "mobilisation.bad_guests": {"fr": "« {value} » : écrivez le nombre d'accompagnant·es ainsi : <code>+2</code> "
                                "(au plus {most}).", "en": "“{value}”: write the number of guests like "
                                "<code>+2</code> (at most {most})."},
    "mobilisation.already_past": {"fr": "La mobilisation M{number} a déjà eu lieu.",
                                  "en": "Mobilization M{number} has already taken place."},
    # --- replies
    "mobilisation.edited": {"fr": "Mobilisation M{number} modifiée : {title}. L'annonce est mise à jour.",
                            "en": "Mobilization M{number} edited: {title}. The announcement is updated."},
    "mobilisation.reason": {"fr": " Raison : {reason}", "en": " Reason: {reason}"},
    "mobilisation.cancelled": {"fr": "❌ La mobilisation M{number} « {title} » du {when} est annulée.{reason}",
                               "en": "❌ Mobilization M{number} “{title}” on {when} is cancelled.{reason}"},
    "mobilisation.cancelled_dm": {
        "fr": "❌ La mobilisation « {title} » (M{number}, {room}) du {when}, à laquelle vous participiez, est annulée.{reason}",
        "en": "❌ The mobilization “{title}” (M{number}, {room}) on {when} you were joining is cancelled.{reason}",
    },
    "mobilisation.moved": {"fr": "📅 La mobilisation M{number} « {title} » est déplacée du {old} au <b>{new}</b>.",
                           "en": "📅 Mobilization M{number} “{title}” is moved from {old} to <b>{new}</b>."},
    "mobilisation.moved_dm": {
        "fr": "📅 La mobilisation « {title} » (M{number}, {room}) à laquelle vous participez est déplacée du {old} au "
        "<b>{new}</b>.",
        "en": "📅 The mobilization “{title}” (M{number}, {room}) you are joining is moved from {old} to <b>{new}</b>.",
    },
    "mobilisation.list": {"fr": "<b>Mobilisations</b>{items}<code>{p}mobilisation M&lt;N&gt;</code> pour en voir une, "
                          "<code>{p}participe M&lt;N&gt;</code> pour y participer.",
                          "en": "<b>Mobilizations</b>{items}<code>{p}mobilization M&lt;N&gt;</code> to see one, "
                          "<code>{p}join M&lt;N&gt;</code> to join it."},
    "mobilisation.list_none": {"fr": "Aucune mobilisation à venir.", "en": "No upcoming mobilization."},
    "mobilisation.line": {"fr": "M{number} {title} — {when} — {count} participant(s){mark}",
                          "en": "M{number} {title} — {when} — {count} taking part{mark}"},
    "mobilisation.cancelled_mark": {"fr": " (annulée)", "en": " (cancelled)"},
    "mobilisation.past_mark": {"fr": " (passée)", "en": " (past)"},
    "mobilisation.joined": {"fr": "✅ Vous participez à la mobilisation M{number} « {title} ». {count}",
                            "en": "✅ You are joining mobilization M{number} “{title}”. {count}"},
    "mobilisation.joined_guests": {
        "fr": "✅ Vous participez à la mobilisation M{number} « {title} » avec {guests} accompagnant·es. {count}",
        "en": "✅ You are joining mobilization M{number} “{title}” with {guests} guests. {count}"},
    "mobilisation.already_joined": {"fr": "Vous participez déjà à la mobilisation M{number}. {count}",
                                    "en": "You are already joining mobilization M{number}. {count}"},
    "mobilisation.left": {"fr": "Vous ne participez plus à la mobilisation M{number} « {title} ». {count}",
                          "en": "You are no longer joining mobilization M{number} “{title}”. {count}"},
    "mobilisation.not_joined": {"fr": "Vous ne participiez pas à la mobilisation M{number}.",
                                "en": "You were not joining mobilization M{number}."},
    # --- countdown
    "mobilisation.days_before": {"fr": "J-{days} avant « {title} » (M{number})",
                                 "en": "{days} days to “{title}” (M{number})"},
    "mobilisation.today": {"fr": "C'est aujourd'hui : « {title} » (M{number})", "en": "Today: “{title}” (M{number})"},
    "mobilisation.soon": {"fr": "Dans {left} : « {title} » (M{number})", "en": "In {left}: “{title}” (M{number})"},
    "mobilisation.where_short": {"fr": ", {place}", "en": ", {place}"},
    "mobilisation.countdown": {"fr": "📣 {head} — {count} — rendez-vous {time}{where}",
                               "en": "📣 {head} — {count} — meet at {time}{where}"},
    "mobilisation.eve_dm": {
        "fr": "📣 Demain : « {title} » (M{number}, {room}), {when}{where}. Merci de votre participation ! "
        "(<code>{p}désabonner mobilisations</code> dans ce salon : plus de message la veille)",
        "en": "📣 Tomorrow: “{title}” (M{number}, {room}), {when}{where}. Thank you for joining! "
        "(<code>{p}unsubscribe mobilizations</code> in that room: no more message the day before)",
    },
    "subscribe.sub.mobilizations": {"fr": "recevoir à nouveau le message de la veille des mobilisations",
                                    "en": "get the day-before message of mobilizations again"},
    "unsubscribe.sub.mobilizations": {"fr": "ne plus recevoir de message la veille des mobilisations",
                                      "en": "no more message the day before mobilizations"},
    "mobilisation.opted_out": {
        "fr": "C'est noté : plus de message privé la veille des mobilisations de ce salon (une annulation ou un "
        "changement de date vous sera toujours dit). <code>{p}abonner mobilisations</code> pour les retrouver.",
        "en": "Noted: no more direct message the day before this room's mobilizations (a cancellation or a new date "
        "is still told). <code>{p}subscribe mobilizations</code> to get them back."},
    "mobilisation.opted_in": {"fr": "C'est noté : vous recevrez un message privé la veille des mobilisations "
                              "auxquelles vous participez.",
                              "en": "Noted: you will get a direct message the day before the mobilizations you join."},
}

TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)

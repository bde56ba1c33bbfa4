"""Texts of meetings: !réunion / !meeting and the commands used during one, and the minutes."""

from handlers.core.catalogue import Catalogue

NO_MEETING = {
    "fr": "Aucune réunion n'est ouverte dans ce salon. Un coordinateur peut en commencer une avec "
    "<code>{p}réunion début [titre]</code>.",
    "en": "No meeting is open in this room. A coordinator can start one with "
    "<code>{p}meeting start [title]</code>.",
}


def _cmd(summary_fr: str, summary_en: str, details_fr: str | None = None, details_en: str | None = None, *,
         key: str) -> dict:
    texts = {f"{key}.summary": {"fr": summary_fr, "en": summary_en}}
    if details_fr:
        texts[f"{key}.details"] = {"fr": details_fr, "en": details_en}
    return texts


DURING = {
    "fr": " Pendant une réunion ouverte, tout membre peut l'utiliser ; Relais accuse réception d'une réaction ✅.",
    "en": " While a meeting is open, any member may use it; Relais acknowledges with a ✅ reaction.",
}
PEOPLE = {
    "fr": "Nommez les gens par une mention, <code>@identifiant</code> ou <code>@Nom</code> ; une personne "
    "hors de Matrix : <code>@\"Prénom Nom\"</code>.",
    "en": "Name people with a mention, <code>@username</code> or <code>@Name</code>; someone outside "
    "Matrix: <code>@\"First Last\"</code>.",
}

MESSAGES = {
    # --- command help (usage lines come from the declarations)
    "help.section.meetings": {"fr": "Réunions", "en": "Meetings"},
    **_cmd("ouvre, clôt, prévoit, liste, annule ou déplace des réunions (le compte rendu est publié à la fin)",
           "start, end, schedule, list, cancel or move meetings (the minutes are posted at the end)",
           "Deux numérotations : les réunions <b>prévues</b> s'écrivent P1, P2… (<code>{p}réunion liste</code>) ; "
           "les réunions <b>tenues</b> (celles qui ont un compte rendu) n°1, n°2… (<code>{p}réunions</code>, "
           "<code>{p}compte-rendu N</code>).",
           "Two kinds of numbers: <b>scheduled</b> meetings are written P1, P2… (<code>{p}meeting list</code>); "
           "<b>held</b> meetings (the ones with minutes) are meeting 1, 2… (<code>{p}meetings</code>, "
           "<code>{p}minutes N</code>).", key="meeting"),
    # The description of each line of `!aide réunion` (scheduling's lines: handlers/schedule/texts.py).
    "meeting.sub.status": {"fr": "montre la réunion en cours", "en": "show the meeting in progress"},
    "meeting.sub.start": {
        "fr": "ouvre une réunion, une seule à la fois (coordinateurs ; qui l'ouvre la préside) ; dans les deux "
        "heures autour d'une réunion prévue, c'est elle qui commence",
        "en": "open a meeting, one at a time (coordinators; the opener chairs it); within two hours of a scheduled "
        "meeting, that one starts",
    },
    "meeting.sub.end": {
        "fr": "clôt la réunion et publie le compte rendu (coordinateurs ou présidence)",
        "en": "close the meeting and post the minutes (coordinators or the chair)",
    },
    "meeting.arg.title": {"fr": "titre", "en": "title"},
    **_cmd("liste les réunions passées avec leur participation, ou celles à venir",
           "list past meetings with their attendance, or the upcoming ones", key="meetings"),
    **_cmd("republie le compte rendu de la dernière réunion, ou de la réunion n° N",
           "post the minutes of the last meeting again, or of meeting number N",
           "Pendant une réunion, sans numéro : le brouillon du compte rendu en cours. N est le numéro d'une "
           "réunion tenue (<code>{p}réunions</code> les liste), pas celui d'une réunion prévue (P1, P2…).",
           "During a meeting, with no number: the draft of the minutes so far. N is the number of a held "
           "meeting (<code>{p}meetings</code> lists them), not of a scheduled one (P1, P2…).", key="minutes"),
    **_cmd("donne la présidence de la réunion à quelqu'un", "hand the meeting's chair to someone",
           "Réservé aux coordinateurs et à la personne qui préside. La présidence peut clore la réunion.",
           "For coordinators and the current chair. The chair may end the meeting.", key="chair"),
    **_cmd("note des présents (sans nom : vous-même)", "mark people present (no name: yourself)",
           PEOPLE["fr"] + DURING["fr"], PEOPLE["en"] + DURING["en"], key="present"),
    **_cmd("note des personnes excusées, avec la raison en fin de ligne",
           "mark people excused, with the reason at the end of the line", PEOPLE["fr"] + DURING["fr"],
           PEOPLE["en"] + DURING["en"], key="excused"),
    **_cmd("note une arrivée en retard (sans nom : vous-même)", "mark someone as late (no name: yourself)",
           PEOPLE["fr"] + DURING["fr"], PEOPLE["en"] + DURING["en"], key="late"),
    **_cmd("retire des personnes de la liste de présence", "take people off the attendance list",
           DURING["fr"], DURING["en"], key="absent"),
    **_cmd("désigne la personne qui rédige le compte rendu (sans nom : vous-même)",
           "name the minute-taker (no name: yourself)", PEOPLE["fr"] + DURING["fr"], PEOPLE["en"] + DURING["en"],
           key="scribe"),
    **_cmd("ouvre un sujet (une section du compte rendu, par exemple un collectif)",
           "open a topic (a section of the minutes, e.g. one per working group)",
           "Ce qui suit (infos, décisions, idées, liens, actions) est rangé sous ce sujet." + DURING["fr"],
           "What follows (infos, decisions, ideas, links, actions) goes under this topic." + DURING["en"],
           key="topic"),
    **_cmd("note une information dans le compte rendu", "record a piece of information in the minutes",
           DURING["fr"].strip(), DURING["en"].strip(), key="info"),
    **_cmd("note une décision dans le compte rendu", "record a decision in the minutes",
           DURING["fr"].strip(), DURING["en"].strip(), key="decision"),
    **_cmd("note une idée dans le compte rendu", "record an idea in the minutes",
           DURING["fr"].strip(), DURING["en"].strip(), key="idea"),
    **_cmd("note un lien dans le compte rendu", "record a link in the minutes",
           DURING["fr"].strip(), DURING["en"].strip(), key="link"),
    **_cmd("retire le dernier élément que vous avez noté dans la réunion",
           "remove the last item you recorded in the meeting",
           "Sujets, infos, décisions, idées et liens ; pour une action, utilisez <code>{p}action annuler</code>.",
           "Topics, infos, decisions, ideas and links; for an action, use <code>{p}action cancel</code>.",
           key="undo"),
    # Argument labels of their usage lines.
    "meeting.arg.reason": {"fr": "raison", "en": "reason"},
    "meeting.arg.note": {"fr": "précision", "en": "note"},
    "meeting.arg.topic": {"fr": "&lt;sujet&gt;", "en": "&lt;topic&gt;"},
    "meeting.arg.link": {"fr": "&lt;url&gt; [texte]", "en": "&lt;url&gt; [text]"},

    # --- replies
    "meeting.none_open": NO_MEETING,
    "meeting.status_none": NO_MEETING,
    "meeting.started": {
        "fr": "<b>Réunion n°{number}{title} ouverte</b> — présidence : {chair}.<br>"
        "Pendant la réunion : <code>{p}présent</code>, <code>{p}excusé @nom raison</code>, "
        "<code>{p}rédacteur @nom</code>, <code>{p}sujet …</code>, <code>{p}info …</code>, "
        "<code>{p}décision …</code>, <code>{p}idée …</code>, <code>{p}lien url</code>, "
        "<code>{p}action …</code>, <code>{p}annuler</code>. "
        "<code>{p}réunion fin</code> la clôt et publie le compte rendu.",
        "en": "<b>Meeting {number}{title} started</b> — chair: {chair}.<br>"
        "During the meeting: <code>{p}present</code>, <code>{p}excused @name reason</code>, "
        "<code>{p}scribe @name</code>, <code>{p}topic …</code>, <code>{p}info …</code>, "
        "<code>{p}decision …</code>, <code>{p}idea …</code>, <code>{p}link url</code>, "
        "<code>{p}action …</code>, <code>{p}undo</code>. "
        "<code>{p}meeting end</code> closes it and posts the minutes.",
    },
    "meeting.already_open": {
        "fr": "La réunion n°{number}{title} est déjà ouverte depuis {since}. Une seule réunion à la fois : "
        "clôturez-la d'abord avec <code>{p}réunion fin</code>.",
        "en": "Meeting {number}{title} has been open since {since}. One meeting at a time: "
        "end it first with <code>{p}meeting end</code>.",
    },
    "meeting.status": {
        "fr": "<b>Réunion n°{number}{title} en cours</b> depuis {since} — présidence : {chair} ; "
        "rédaction : {scribe}.<br>Sujet en cours : {topic}. Présents : {present} ; excusés : {excused}.",
        "en": "<b>Meeting {number}{title} in progress</b> since {since} — chair: {chair}; "
        "minute-taker: {scribe}.<br>Current topic: {topic}. Present: {present}; excused: {excused}.",
    },
    "meeting.nobody": {"fr": "personne", "en": "nobody"},
    "meeting.no_topic": {"fr": "aucun", "en": "none"},
    "meeting.not_allowed": {
        "fr": "Seuls les coordinateurs et la personne qui préside ({chair}) peuvent faire cela.",
        "en": "Only coordinators and the meeting's chair ({chair}) can do that.",
    },
    "meeting.role_changed.chair": {
        "fr": "Présidence : {new} (à la place de {old}).",
        "en": "Chair: {new} (instead of {old}).",
    },
    "meeting.role_changed.scribe": {
        "fr": "Rédaction du compte rendu : {new} (à la place de {old}).",
        "en": "Minute-taker: {new} (instead of {old}).",
    },
    "meeting.needs_a_name": {
        "fr": "Nommez au moins une personne.",
        "en": "Name at least one person.",
    },
    "meeting.attendance_corrected": {
        "fr": "Corrigé : {changes}.",
        "en": "Corrected: {changes}.",
    },
    "meeting.attendance_change": {"fr": "{person} {old} → {new}", "en": "{person} {old} → {new}"},
    "meeting.status.present": {"fr": "présent·e", "en": "present"},
    "meeting.status.excused": {"fr": "excusé·e", "en": "excused"},
    "meeting.status.late": {"fr": "en retard", "en": "late"},
    "meeting.absent_removed": {
        "fr": "Retiré de la liste de présence : {people}.",
        "en": "Taken off the attendance list: {people}.",
    },
    "meeting.absent_none": {
        "fr": "{people} n'était pas dans la liste de présence.",
        "en": "{people} was not on the attendance list.",
    },
    "meeting.item_too_long": {
        "fr": "Ce texte fait {length} caractères ; une entrée du compte-rendu en contient au plus {max}. "
        "Raccourcissez-le ou mettez le détail dans un lien.",
        "en": "This text is {length} characters long; a minutes entry holds at most {max}. "
        "Shorten it or put the details in a link.",
    },
    "meeting.empty_text": {
        "fr": "Il manque le texte à noter.",
        "en": "The text to record is missing.",
    },
    "meeting.link_needs_url": {
        "fr": "Il manque l'adresse du lien (qui commence par <code>https://</code>).",
        "en": "The link's address (starting with <code>https://</code>) is missing.",
    },
    "meeting.nothing_to_undo": {
        "fr": "Vous n'avez rien noté dans cette réunion que je puisse retirer.",
        "en": "You have recorded nothing in this meeting that I could remove.",
    },
    "meeting.undo_topic_not_empty": {
        "fr": "Votre dernier ajout est le sujet « {title} », où {count} élément(s) ont déjà été notés : "
        "je ne le retire pas. Retirez d'abord ce qu'il contient.",
        "en": "Your last addition is the topic “{title}”, under which {count} item(s) were already "
        "recorded: I am not removing it. Remove its content first.",
    },
    "meeting.undone": {
        "fr": "Retiré : {what}",
        "en": "Removed: {what}",
    },
    "meeting.undone.topic": {"fr": "le sujet « {text} »", "en": "the topic “{text}”"},
    "minutes.none": {
        "fr": "Aucune réunion n'a encore eu lieu dans ce salon. Un coordinateur peut en commencer une avec "
        "<code>{p}réunion début [titre]</code>.",
        "en": "No meeting has taken place in this room yet. A coordinator can start one with "
        "<code>{p}meeting start [title]</code>.",
    },
    "minutes.no_such_meeting": {
        "fr": "Il n'y a pas de réunion n°{number} dans ce salon. <code>{p}réunions</code> les liste.",
        "en": "There is no meeting number {number} in this room. <code>{p}meetings</code> lists them.",
    },
    "minutes.scheduled_ref": {
        "fr": "{ref} est une réunion prévue : un compte rendu existe pour les réunions tenues (n°1, n°2…), "
        "que <code>{p}réunions</code> liste.{held}",
        "en": "{ref} is a scheduled meeting: minutes exist for held meetings (meeting 1, 2…), which "
        "<code>{p}meetings</code> lists.{held}",
    },
    "minutes.scheduled_held": {
        "fr": " Sa dernière séance tenue est la n°{number} : <code>{p}compte-rendu {number}</code>.",
        "en": " The last time it was held is meeting {number}: <code>{p}minutes {number}</code>.",
    },
    "meetings.none": {
        "fr": "Aucune réunion n'a encore eu lieu dans ce salon.",
        "en": "No meeting has taken place in this room yet.",
    },
    "meetings.list": {
        "fr": "<b>Réunions du salon</b>{items}<code>{p}compte-rendu N</code> republie le compte rendu de la n° N.",
        "en": "<b>Meetings of this room</b>{items}<code>{p}minutes N</code> posts the minutes of meeting N again.",
    },
    "meetings.line": {
        "fr": "n°{number}{title} — {day} — {present} présent(s), {excused} excusé(s){open}",
        "en": "Meeting {number}{title} — {day} — {present} present, {excused} excused{open}",
    },
    "meetings.open": {"fr": " — <i>en cours</i>", "en": " — <i>in progress</i>"},
    "meetings.more": {
        "fr": "… et {count} réunion(s) plus ancienne(s).",
        "en": "… and {count} older meeting(s).",
    },

    # --- the minutes
    "minutes.title": {
        "fr": "Compte rendu de la réunion n°{number} : {title}",
        "en": "Minutes of meeting {number}: {title}",
    },
    "minutes.title_untitled": {
        "fr": "Compte rendu de la réunion n°{number}",
        "en": "Minutes of meeting {number}",
    },
    "minutes.title_draft": {
        "fr": "Brouillon du compte rendu de la réunion n°{number} : {title} (réunion en cours)",
        "en": "Draft minutes of meeting {number}: {title} (meeting in progress)",
    },
    "minutes.title_untitled_draft": {
        "fr": "Brouillon du compte rendu de la réunion n°{number} (réunion en cours)",
        "en": "Draft minutes of meeting {number} (meeting in progress)",
    },
    "minutes.span": {
        "fr": "{day}, de {start} à {end} ({tz})",
        "en": "{day}, {start} to {end} ({tz})",
    },
    "minutes.span_days": {
        "fr": "Du {start} au {end} ({tz})",
        "en": "From {start} to {end} ({tz})",
    },
    "minutes.span_open": {
        "fr": "{day}, depuis {start} ({tz})",
        "en": "{day}, since {start} ({tz})",
    },
    "minutes.present": {"fr": "<b>Présents ({count}) :</b> {people}", "en": "<b>Present ({count}):</b> {people}"},
    "minutes.present_none": {
        "fr": "<b>Présents :</b> personne n'a été noté présent",
        "en": "<b>Present:</b> nobody was marked present",
    },
    "minutes.excused": {"fr": "<b>Excusés ({count}) :</b> {people}", "en": "<b>Excused ({count}):</b> {people}"},
    "minutes.late": {"fr": "<b>En retard ({count}) :</b> {people}", "en": "<b>Late ({count}):</b> {people}"},
    "minutes.with_reason": {"fr": "{person} ({reason})", "en": "{person} ({reason})"},
    "minutes.chair": {"fr": "<b>Présidence :</b> {person}", "en": "<b>Chair:</b> {person}"},
    "minutes.scribe": {"fr": "<b>Rédaction :</b> {person}", "en": "<b>Minute-taker:</b> {person}"},
    "minutes.scribe_none": {"fr": "<b>Rédaction :</b> non désignée", "en": "<b>Minute-taker:</b> not named"},
    "minutes.also_spoke": {
        "fr": "<b>Ont aussi pris la parole (non notés présents) :</b> {people}",
        "en": "<b>Also spoke (not marked present):</b> {people}",
    },
    "minutes.general": {"fr": "Général", "en": "General"},
    "minutes.topic": {"fr": "{n}. {title}", "en": "{n}. {title}"},
    "minutes.topic_empty": {"fr": "<i>Rien de noté.</i>", "en": "<i>Nothing recorded.</i>"},
    "minutes.no_topics": {"fr": "<i>Aucun sujet noté.</i>", "en": "<i>No topic recorded.</i>"},
    "minutes.item.info": {"fr": "<b>Info :</b> {text}", "en": "<b>Info:</b> {text}"},
    "minutes.item.decision": {"fr": "<b>Décision :</b> {text}", "en": "<b>Decision:</b> {text}"},
    "minutes.item.idea": {"fr": "<b>Idée :</b> {text}", "en": "<b>Idea:</b> {text}"},
    "minutes.item.link": {"fr": "<b>Lien :</b> {link}", "en": "<b>Link:</b> {link}"},
    "minutes.item.action": {"fr": "<b>Action</b> {action}", "en": "<b>Action</b> {action}"},
    "minutes.action": {"fr": "#{number} {text}{details}", "en": "#{number} {text}{details}"},
    "minutes.action.owners": {"fr": " — {owners}", "en": " — {owners}"},
    "minutes.action.with": {"fr": " — avec {owners}", "en": " — with {owners}"},
    "minutes.action.due": {"fr": " — {when}", "en": " — {when}"},
    "minutes.action.status": {"fr": " ({status})", "en": " ({status})"},
    "minutes.action.carried_from": {
        "fr": " <i>(en cours, réunion n°{number})</i>",
        "en": " <i>(ongoing, from meeting {number})</i>",
    },
    "minutes.action.carried": {"fr": " <i>(en cours)</i>", "en": " <i>(ongoing)</i>"},
    "minutes.status.done": {"fr": "faite", "en": "done"},
    "minutes.status.cancelled": {"fr": "annulée", "en": "cancelled"},
    "minutes.by_person": {"fr": "Actions par personne", "en": "Actions by person"},
    "minutes.owner": {"fr": "<i>{person}</i>", "en": "<i>{person}</i>"},
    "minutes.unassigned": {"fr": "<i>Sans responsable</i>", "en": "<i>Unassigned</i>"},
    "minutes.no_actions": {"fr": "<i>Aucune action.</i>", "en": "<i>No actions.</i>"},
}

# What the minutes say, also outside a command (`python -m bot minutes export`).
TEXTS = Catalogue(MESSAGES)

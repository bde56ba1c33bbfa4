"""Texts every capability shares: the router's errors, !aide, people, numbers, argument labels in usage lines,
and a few words (durations, a meeting's title) said by more than one capability."""

from handlers.core.catalogue import Catalogue

MESSAGES = {
    # --- errors shared by all commands
    "error.usage": {
        "fr": "Usage : {usage}",
        "en": "Usage: {usage}",
    },
    "error.unknown": {
        "fr": "Commande inconnue : <code>{cmd}</code>. Tapez <code>{p}aide</code> pour la liste des commandes.",
        "en": "Unknown command: <code>{cmd}</code>. Type <code>{p}help</code> for the list of commands.",
    },
    "error.unknown_suggest": {
        "fr": "Commande inconnue : <code>{cmd}</code>. Vouliez-vous dire <code>{suggestion}</code> ? "
        "Tapez <code>{p}aide</code> pour la liste des commandes.",
        "en": "Unknown command: <code>{cmd}</code>. Did you mean <code>{suggestion}</code>? "
        "Type <code>{p}help</code> for the list of commands.",
    },
    "error.internal": {
        "fr": "Désolé, une erreur interne m'a empêché de traiter cette commande. Rien n'a été perdu : "
        "réessayez, et si cela persiste, prévenez la personne qui administre Relais.",
        "en": "Sorry, an internal error stopped me from handling this command. Nothing was lost: "
        "try again, and if it persists, tell whoever runs Relais.",
    },
    "error.coordinators_only": {
        "fr": "Seuls les coordinateurs (niveau de pouvoir ≥ {level} dans ce salon) peuvent faire cela ; "
        "votre niveau est {yours}.",
        "en": "Only coordinators (power level ≥ {level} in this room) can do that; your level is {yours}.",
    },
    "welcome": {
        "fr": "Bonjour ! Je suis <b>Relais</b> : je garde la trace des actions, des réunions et des comptes rendus "
        "de ce salon. Tapez <code>{p}aide</code> pour voir ce que je sais faire.",
        "en": "Hello! I am <b>Relais</b>: I keep track of this room's actions, meetings and minutes. "
        "Type <code>{p}help</code> to see what I can do.",
    },
    "encrypted.unsupported": {
        "fr": "Ce salon est chiffré de bout en bout : je ne peux pas lire vos messages, donc pas vos commandes. "
        "Invitez-moi plutôt dans un salon non chiffré (le chiffrement d'un salon ne peut pas être retiré).",
        "en": "This room is end-to-end encrypted: I cannot read your messages, so not your commands either. "
        "Invite me to an unencrypted room instead (a room's encryption cannot be turned off).",
    },
    # --- !aide / !help
    "help.summary": {
        "fr": "liste les commandes, ou explique l'une d'elles",
        "en": "list the commands, or explain one of them",
    },
    "help.all": {
        "fr": "<b>Commandes de Relais</b>{sections}Tapez <code>{p}aide &lt;commande&gt;</code> pour les détails.",
        "en": "<b>Relais commands</b>{sections}Type <code>{p}help &lt;command&gt;</code> for details.",
    },
    "help.section": {"fr": "<br><i>{title}</i>{commands}", "en": "<br><i>{title}</i>{commands}"},
    "help.section.general": {"fr": "Général", "en": "General"},
    "help.line": {"fr": "<code>{cmd}</code> — {summary}", "en": "<code>{cmd}</code> — {summary}"},
    # Followed by a line per sub-command and the details (handlers/core/help.py).
    "help.one": {
        "fr": "{usage} — {summary}",
        "en": "{usage} — {summary}",
    },
    # One line per sub-command: its usage, generated from its declaration, and its description (`<command>.sub.<name>`).
    "help.sub": {"fr": "<code>{usage}</code> — {description}", "en": "<code>{usage}</code> — {description}"},
    "help.no_such_command": {
        "fr": "Je ne connais pas la commande <code>{cmd}</code>. Tapez <code>{p}aide</code> pour la liste.",
        "en": "I don't know the command <code>{cmd}</code>. Type <code>{p}help</code> for the list.",
    },
    # --- message trust (router)
    "error.text_mismatch": {
        "fr": "Ce message ne se lit pas pareil en texte et en HTML : je n'exécute rien. "
        "Renvoyez la commande en texte simple.",
        "en": "This message does not read the same as text and as HTML: I am not running anything. "
        "Send the command again as plain text.",
    },
    "error.rate_limited": {
        "fr": "Doucement : {count} commandes en {window} s, c'est ma limite. Je reprends dans {wait} s.",
        "en": "Easy: {count} commands in {window} s is my limit. I will take commands again in {wait} s.",
    },
    # --- numbers after a sub-command (handlers/core/args.py parse_number): 1 to 2147483647, in digits
    "number.bad_action": {
        "fr": "« {value} » n'est pas un numéro d'action valable : écrivez par exemple <code>{example}</code>.",
        "en": "“{value}” is not a valid action number: write for example <code>{example}</code>.",
    },
    "number.bad_meeting": {
        "fr": "« {value} » n'est pas un numéro de réunion valable : écrivez par exemple <code>{example}</code>.",
        "en": "“{value}” is not a valid meeting number: write for example <code>{example}</code>.",
    },
    "number.bad_schedule": {
        "fr": "« {value} » n'est pas un numéro de réunion prévue valable : écrivez par exemple "
        "<code>{example}</code>.",
        "en": "“{value}” is not a valid scheduled meeting number: write for example <code>{example}</code>.",
    },
    "schedule.not_a_schedule": {
        "fr": "<code>{ref}</code> ne désigne pas une réunion prévue : celles-ci s'écrivent P1, P2… "
        "(<code>{p}réunion liste</code> les montre). Les réunions tenues (n°1, n°2…) sont dans "
        "<code>{p}réunions</code>, les actions (#1, #2…) dans <code>{p}action liste</code>.",
        "en": "<code>{ref}</code> is not a scheduled meeting: those are written P1, P2… "
        "(<code>{p}meeting list</code> shows them). Held meetings (meeting 1, 2…) are in "
        "<code>{p}meetings</code>, actions (#1, #2…) in <code>{p}action list</code>.",
    },
    # --- people named in commands (handlers/core/people.py), for every capability
    "people.ambiguous": {
        "fr": "Plusieurs membres correspondent à <code>{name}</code> : {candidates}. "
        "Précisez avec l'identifiant complet (<code>@nom:serveur</code>) ou une mention.",
        "en": "Several members match <code>{name}</code>: {candidates}. "
        "Be more precise with the full user id (<code>@name:server</code>) or a mention.",
    },
    "people.unknown": {
        "fr": "Je ne trouve personne qui corresponde à <code>{name}</code> dans ce salon. "
        "Pour une personne hors de Matrix, écrivez son nom entre guillemets : "
        "<code>@\"Prénom Nom\"</code>.",
        "en": "I can't find anyone matching <code>{name}</code> in this room. "
        "For someone outside Matrix, write their name in quotes: <code>@\"First Last\"</code>.",
    },
    # An owner named by the id of someone who is not in the room (handlers/core/people.py, not_in_room).
    "people.not_in_room": {
        "fr": "{name} n'est pas membre du salon : noté comme nom, sans rappel.",
        "en": "{name} is not a member of this room: recorded as a name, without reminders.",
    },
    "people.outsider_like_id": {
        "fr": "Le nom d'une personne hors de Matrix ne peut pas contenir « @ » ni ressembler à un identifiant "
        "Matrix : <code>{name}</code>. Pour un membre du salon, utilisez une mention ou son identifiant "
        "(<code>@nom:serveur</code>).",
        "en": "The name of someone outside Matrix cannot contain “@” nor look like a Matrix id: "
        "<code>{name}</code>. For a member of the room, use a mention or their user id (<code>@name:server</code>).",
    },
    # --- said by more than one capability
    "followup.late": {
        "fr": "<i>(rappel en retard : Relais était arrêté à l'heure prévue)</i> ",
        "en": "<i>(late reminder: Relais was stopped at the planned time)</i> ",
    },
    "reply.truncated": {"fr": "… (tronqué, {n} caractères)", "en": "… (truncated, {n} characters)"},
    "duration.days": {"fr": "{n} jours", "en": "{n} days"},
    "title_part": {"fr": " « {title} »", "en": " “{title}”"},
    # Reminder offsets, a setting of actions and of scheduled meetings (handlers/core/reminders.py).
    "settings.no_reminders": {"fr": "aucun", "en": "none"},
    "settings.bad_durations": {
        "fr": "Durées incompréhensibles : <code>{value}</code>. Écrivez par exemple <code>24h 1h</code>, "
        "<code>90m</code> ou <code>2d</code> (unités s, m, h, d).",
        "en": "Cannot read the durations <code>{value}</code>. Write for example <code>24h 1h</code>, "
        "<code>90m</code> or <code>2d</code> (units s, m, h, d).",
    },
    # --- arguments in usage lines (handlers/core/arguments.py); a capability may name its own
    "arg.number": {"fr": "N", "en": "N"},
    "arg.schedule": {"fr": "P&lt;N&gt;", "en": "P&lt;N&gt;"},
    "arg.people": {"fr": "@personne…", "en": "@person…"},
    "arg.person": {"fr": "@personne", "en": "@person"},
    "arg.date": {"fr": "&lt;date&gt;", "en": "&lt;date&gt;"},
    "arg.date_or_none": {"fr": "&lt;date&gt;|aucune", "en": "&lt;date&gt;|none"},
    "arg.text": {"fr": "&lt;texte&gt;", "en": "&lt;text&gt;"},
    "arg.durations": {"fr": "&lt;durées&gt;", "en": "&lt;durations&gt;"},
    "help.arg.command": {"fr": "commande", "en": "command"},
    # --- the database failed (locked, full, unreachable): nothing of the command was kept (bot/app.py)
    "error.storage_unavailable": {
        "fr": "Pas enregistré : la base de données ne répond pas. Réessayez dans un moment.",
        "en": "Not recorded: the database is not responding. Try again in a moment.",
    },
}

# What core code says outside a command (reminders' "late" mark, durations, titles).
TEXTS = Catalogue(MESSAGES)

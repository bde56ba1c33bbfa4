"""Texts of the foundation: errors, help, ping, settings."""

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
    # --- !ping
    "ping.summary": {"fr": "vérifie que Relais répond", "en": "check that Relais answers"},
    "ping.usage": {"fr": "<code>{cmd}</code>", "en": "<code>{cmd}</code>"},
    "ping.pong": {"fr": "pong", "en": "pong"},
    # --- !aide / !help
    "help.summary": {
        "fr": "liste les commandes, ou explique l'une d'elles",
        "en": "list the commands, or explain one of them",
    },
    "help.usage": {"fr": "<code>{cmd} [commande]</code>", "en": "<code>{cmd} [command]</code>"},
    "help.all": {
        "fr": "<b>Commandes de Relais</b>{sections}Tapez <code>{p}aide &lt;commande&gt;</code> pour les détails.",
        "en": "<b>Relais commands</b>{sections}Type <code>{p}help &lt;command&gt;</code> for details.",
    },
    "help.section": {"fr": "<br><i>{title}</i>{commands}", "en": "<br><i>{title}</i>{commands}"},
    "help.section.actions": {"fr": "Actions", "en": "Actions"},
    "help.section.meetings": {"fr": "Réunions", "en": "Meetings"},
    "help.section.general": {"fr": "Général", "en": "General"},
    "help.line": {"fr": "<code>{cmd}</code> — {summary}", "en": "<code>{cmd}</code> — {summary}"},
    # Followed by a line per sub-command and the details (handlers/help.py).
    "help.one": {
        "fr": "{usage} — {summary}",
        "en": "{usage} — {summary}",
    },
    "help.no_such_command": {
        "fr": "Je ne connais pas la commande <code>{cmd}</code>. Tapez <code>{p}aide</code> pour la liste.",
        "en": "I don't know the command <code>{cmd}</code>. Type <code>{p}help</code> for the list.",
    },
    # --- !réglages / !settings
    "settings.summary": {
        "fr": "affiche ou change les réglages du salon (langue, fuseau horaire)",
        "en": "show or change the room's settings (language, time zone)",
    },
    "settings.usage": {
        "fr": "<code>{cmd} [langue fr|en | fuseau &lt;zone IANA, ex. Europe/Paris&gt; | "
        "rappels-réunion &lt;durées&gt; | rappels-action &lt;durées&gt;]</code>",
        "en": "<code>{cmd} [language fr|en | timezone &lt;IANA zone, e.g. Europe/Paris&gt; | "
        "meeting-reminders &lt;durations&gt; | action-reminders &lt;durations&gt;]</code>",
    },
    "settings.details": {
        "fr": "Sans argument : affiche les réglages. Les changer est réservé aux coordinateurs. Les durées "
        "s'écrivent <code>24h</code>, <code>90m</code>, <code>2d</code> (plusieurs : <code>24h 1h</code>) ; "
        "<code>aucun</code> supprime les rappels, <code>défaut</code> revient à la configuration.",
        "en": "With no argument: shows the settings. Changing them is for coordinators. Durations are written "
        "<code>24h</code>, <code>90m</code>, <code>2d</code> (several: <code>24h 1h</code>); "
        "<code>none</code> turns reminders off, <code>default</code> goes back to the configuration.",
    },
    # One line per setting in `!aide réglages` (handlers/help.py lists the `settings.sub.*` keys in order).
    "settings.sub.show": {
        "fr": "<code>{cmd}</code> — affiche les réglages du salon",
        "en": "<code>{cmd}</code> — show the room's settings",
    },
    "settings.sub.language": {
        "fr": "<code>{cmd} langue fr|en</code> — la langue des réponses",
        "en": "<code>{cmd} language fr|en</code> — the language of the replies",
    },
    "settings.sub.timezone": {
        "fr": "<code>{cmd} fuseau &lt;zone&gt;</code> — le fuseau horaire des dates (nom IANA, ex. "
        "<code>Europe/Paris</code>)",
        "en": "<code>{cmd} timezone &lt;zone&gt;</code> — the time zone of dates (IANA name, e.g. "
        "<code>Europe/Paris</code>)",
    },
    "settings.sub.meeting": {
        "fr": "<code>{cmd} rappels-réunion &lt;durées&gt;</code> — les rappels avant chaque réunion prévue",
        "en": "<code>{cmd} meeting-reminders &lt;durations&gt;</code> — the reminders before each scheduled "
        "meeting",
    },
    "settings.sub.action_due": {
        "fr": "<code>{cmd} rappels-action &lt;durées&gt;</code> — les rappels avant l'échéance d'une action",
        "en": "<code>{cmd} action-reminders &lt;durations&gt;</code> — the reminders before an action's deadline",
    },
    "settings.show": {
        "fr": "<b>Réglages du salon</b><br>Langue : <code>{language}</code><br>Fuseau horaire : <code>{timezone}</code>"
        "<br>Coordinateurs : niveau de pouvoir ≥ {level}<br>Rappels avant les réunions : {meeting}"
        "<br>Rappels avant l'échéance d'une action : {action_due}",
        "en": "<b>Room settings</b><br>Language: <code>{language}</code><br>Time zone: <code>{timezone}</code>"
        "<br>Coordinators: power level ≥ {level}<br>Reminders before meetings: {meeting}"
        "<br>Reminders before an action's deadline: {action_due}",
    },
    "settings.name.language": {"fr": "Langue", "en": "language"},
    "settings.name.timezone": {"fr": "Fuseau horaire", "en": "time zone"},
    "settings.name.meeting": {"fr": "Rappels avant les réunions", "en": "reminders before meetings"},
    "settings.name.action_due": {
        "fr": "Rappels avant l'échéance d'une action", "en": "reminders before an action's deadline",
    },
    "settings.no_reminders": {"fr": "aucun", "en": "none"},
    "settings.bad_durations": {
        "fr": "Durées incompréhensibles : <code>{value}</code>. Écrivez par exemple <code>24h 1h</code>, "
        "<code>90m</code> ou <code>2d</code> (unités s, m, h, d).",
        "en": "Cannot read the durations <code>{value}</code>. Write for example <code>24h 1h</code>, "
        "<code>90m</code> or <code>2d</code> (units s, m, h, d).",
    },
    "settings.changed": {
        "fr": "{setting} du salon : <code>{value}</code>.",
        "en": "Room {setting}: <code>{value}</code>.",
    },
    "settings.unknown_setting": {
        "fr": "Réglage inconnu : <code>{name}</code>.",
        "en": "Unknown setting: <code>{name}</code>.",
    },
    "settings.bad_language": {
        "fr": "Langue non prise en charge : <code>{value}</code>. Choix possibles : {choices}.",
        "en": "Unsupported language: <code>{value}</code>. Choices: {choices}.",
    },
    "settings.bad_timezone": {
        "fr": "Fuseau horaire inconnu : <code>{value}</code>. Écrivez un nom IANA, par exemple "
        "<code>Europe/Paris</code> ou <code>America/Montreal</code>.",
        "en": "Unknown time zone: <code>{value}</code>. Write an IANA name, for example "
        "<code>Europe/Paris</code> or <code>America/Montreal</code>.",
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
    # --- numbers after a sub-command (handlers/args.py parse_number): 1 to 2147483647, in digits
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
    # --- edits and redactions of commands (handlers/edits.py)
    "edit.not_applied": {
        "fr": "Les modifications de commandes ne sont pas prises en compte : envoyez la commande corrigée "
              "dans un nouveau message.",
        "en": "Edits to commands are not applied: send the corrected command as a new message.",
    },
    "edit.action_late": {
        "fr": "Les modifications de commandes ne sont pas prises en compte : utilisez "
              "<code>{p}action modifier {number} …</code>",
        "en": "Edits to commands are not applied: use <code>{p}action edit {number} …</code>",
    },
    "redaction.not_applied": {
        "fr": "Supprimer une commande n'annule pas ce qu'elle a fait : utilisez la commande qui le défait.",
        "en": "Deleting a command does not undo it: use the command that does.",
    },
    "redaction.action_late": {
        "fr": "Supprimer une commande n'annule pas ce qu'elle a fait : utilisez "
              "<code>{p}action annuler {number}</code>",
        "en": "Deleting a command does not undo it: use <code>{p}action cancel {number}</code>",
    },
}

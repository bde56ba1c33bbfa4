"""Texts every capability shares: the router's errors, !aide, people, numbers, argument labels in usage lines,
and a few words (durations, a meeting's title) said by more than one capability."""

from handlers.core.catalogue import Catalogue, Texts, pN_

MESSAGES = Texts(__file__, [
    # --- errors shared by all commands
    pN_("error.usage", "Usage: {usage}"),
    pN_("error.unknown", "Unknown command: <code>{cmd}</code>. Type <code>{p}help</code> for the list of commands."),
    pN_("error.unknown_suggest",
        "Unknown command: <code>{cmd}</code>. Did you mean <code>{suggestion}</code>? Type "
        "<code>{p}help</code> for the list of commands."),
    pN_("error.unknown_suggest_any",
        "Unknown command: <code>{cmd}</code>. Did you mean one of these? {suggestions}. Type <code>{p}help</code> "
        "for the list of commands."),
    pN_("error.internal",
        "Sorry, an internal error stopped me from handling this command. Nothing was lost: try "
        "again, and if it persists, tell whoever runs Relais."),
    pN_("error.coordinators_only",
        "Only coordinators (power level ≥ {level} in this room) can do that; your level is "
        "{yours}."),
    pN_("welcome",
        "Hello! I am <b>Relais</b>: I keep track of this room's actions, meetings and minutes. "
        "Type <code>{p}help</code> to see what I can do."),
    pN_("encrypted.unsupported",
        "This room is end-to-end encrypted: I cannot read your messages, so not your commands "
        "either. Invite me to an unencrypted room instead (a room's encryption cannot be turned "
        "off)."),
    pN_("encrypted.unreadable",
        "{who}, I could not read your message: its decryption key never reached me. If it was a "
        "command, please send it again."),
    # --- !aide / !help
    pN_("help.summary", "list the commands, or explain one of them"),
    pN_("help.all", "<b>Relais commands</b>{sections}Type <code>{p}help &lt;command&gt;</code> for details."),
    pN_("help.section", "<br><i>{title}</i>{commands}"),
    pN_("help.section.general", "General"),
    pN_("help.line", "<code>{cmd}</code> — {summary}"),
    # Followed by a line per sub-command and the details (handlers/core/help.py).
    pN_("help.one", "{usage} — {summary}"),
    # One line per sub-command: its usage, generated from its declaration, and its description (`<command>.sub.<name>`).
    pN_("help.sub", "<code>{usage}</code> — {description}"),
    pN_("help.no_such_command", "I don't know the command <code>{cmd}</code>. Type <code>{p}help</code> for the list."),
    # --- message trust (router)
    pN_("error.text_mismatch",
        "This message does not read the same as text and as HTML: I am not running anything. "
        "Send the command again as plain text."),
    pN_("error.rate_limited",
        "Easy: {count} commands in {window} s is my limit. I will take commands again in {wait} "
        "s."),
    # --- numbers after a sub-command (handlers/core/args.py parse_number): 1 to 2147483647, in digits
    pN_("number.bad_action", "“{value}” is not a valid action number: write for example <code>{example}</code>."),
    pN_("number.bad_meeting", "“{value}” is not a valid meeting number: write for example <code>{example}</code>."),
    pN_("number.bad_schedule",
        "“{value}” is not a valid scheduled meeting number: write for example "
        "<code>{example}</code>."),
    pN_("schedule.not_a_schedule",
        "<code>{ref}</code> is not a scheduled meeting: those are written P1, P2… "
        "(<code>{p}meeting list</code> shows them). Held meetings (meeting 1, 2…) are in "
        "<code>{p}meetings</code>, actions (#1, #2…) in <code>{p}action list</code>."),
    # --- people named in commands (handlers/core/people.py), for every capability
    pN_("people.ambiguous",
        "Several members match <code>{name}</code>: {candidates}. Be more precise with the full "
        "user id (<code>@name:server</code>) or a mention."),
    pN_("people.unknown",
        "I can't find anyone matching <code>{name}</code> in this room. For someone outside "
        "Matrix, write their name in quotes: <code>@\"First Last\"</code>."),
    # An owner named by the id of someone who is not in the room (handlers/core/people.py, not_in_room).
    pN_("people.not_in_room", "{name} is not a member of this room: recorded as a name, without reminders."),
    pN_("people.outsider_like_id",
        "The name of someone outside Matrix cannot contain “@” nor look like a Matrix id: "
        "<code>{name}</code>. For a member of the room, use a mention or their user id "
        "(<code>@name:server</code>)."),
    # --- said by more than one capability
    pN_("followup.late", "<i>(late reminder: Relais was stopped at the planned time)</i> "),
    pN_("reply.truncated", "… (truncated, {n} characters)"),
    pN_("title_part", " “{title}”"),
    # Reminder offsets, a setting of actions and of scheduled meetings (handlers/core/reminders.py).
    pN_("settings.no_reminders", "none"),
    pN_("settings.bad_durations",
        "Cannot read the durations <code>{value}</code>. Write for example <code>24h 1h</code>, "
        "<code>90m</code> or <code>2d</code> (units s, m, h, d)."),
    # --- arguments in usage lines (handlers/core/arguments.py); a capability may name its own
    pN_("arg.number", "N"),
    pN_("arg.numbers", "N…"),
    pN_("arg.schedule", "P&lt;N&gt;"),
    pN_("arg.people", "@person…"),
    pN_("arg.person", "@person"),
    pN_("arg.date", "&lt;date&gt;"),
    pN_("arg.date_or_none", "&lt;date&gt;|none"),
    pN_("arg.text", "&lt;text&gt;"),
    pN_("arg.durations", "&lt;durations&gt;"),
    pN_("help.arg.command", "command"),
    # --- the database failed (locked, full, unreachable): nothing of the command was kept (bot/app.py)
    pN_("error.storage_unavailable", "Not recorded: the database is not responding. Try again in a moment."),
])

# What core code says outside a command (reminders' "late" mark, durations, titles).
TEXTS = Catalogue(MESSAGES)

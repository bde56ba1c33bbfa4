"""Texts of action items (!action), themes (!theme, !themes), their follow-up and edits of !action."""

from handlers.core.catalogue import Catalogue, Texts, npN_, pN_
from handlers.core.texts import MESSAGES as CORE_MESSAGES

MESSAGES = Texts(__file__, [
    pN_("action.summary", "create, list and follow up actions (who does what, by when)"),
    pN_("action.details",
        "Example: <code>{p}action @bertrand contact Nicolas by end of May</code>. People at the "
        "start or end of the text are the owners (pill, <code>@username</code>, "
        "<code>@Name</code>, or <code>@\"First Last\"</code> for someone outside Matrix). Anyone "
        "can create and close an action; editing or cancelling it is for its creator, its owners "
        "and coordinators. <code>{p}actions</code> is short for <code>{p}action list</code>."),
    # The description of each line of `!aide action` (the usage before it comes from the declaration).
    pN_("action.sub.create", "record an action"),
    pN_("action.sub.list", "open actions by owner, overdue first; filters combine"),
    pN_("action.sub.show", "actions with their history (one or several)"),
    pN_("action.sub.done", "mark actions done (one or several: 2 3)"),
    pN_("action.sub.reopen", "reopen done or cancelled actions"),
    pN_("action.sub.assign", "add owners"),
    pN_("action.sub.unassign", "remove owners"),
    pN_("action.sub.due", "change or clear the deadline"),
    pN_("action.sub.edit", "change the text"),
    pN_("action.sub.cancel", "cancel actions"),
    pN_("action.arg.what", "&lt;what&gt; [@person…] [#theme] [by|before|due &lt;date&gt;]"),
    # The usage wraps an optional argument's label in brackets: this one reads "[filters] [page N]".
    pN_("action.arg.filters", "mine|@person|overdue|done|all|#theme] [page N"),
    pN_("action.created", "Action <b>#{number}</b> recorded: {text}<br>Owners: {owners}<br>Due: {due}"),
    pN_("action.meeting_note", "<i>Linked to the current meeting.</i>"),
    pN_("action.nobody", "nobody yet"),
    pN_("action.no_due", "none"),
    pN_("action.due_day", "{when} (end of day)"),
    pN_("action.empty", "The action's text is missing: what needs doing?"),
    pN_("action.not_found",
        "There is no action #{number} in this room. <code>{p}action list all</code> shows them "
        "all."),
    pN_("action.refused", "Only the creator of action #{number}, its owners and coordinators can edit or cancel it."),
    pN_("action.done", "Action #{number} done: {text} — well done!"),
    pN_("action.already_done", "Action #{number} is already done."),
    pN_("action.reopened", "Action #{number} reopened: {text}"),
    pN_("action.already_open", "Action #{number} is already open."),
    pN_("action.cancelled", "Action #{number} cancelled: {text}"),
    pN_("action.already_cancelled", "Action #{number} is already cancelled."),
    pN_("action.is_cancelled",
        "Action #{number} is cancelled; reopen it first with <code>{p}action reopen "
        "{number}</code>."),
    pN_("action.assigned", "Action #{number} — owners: {owners}."),
    pN_("action.sub_hint", "To act on an existing action, give its number: <code>{p}action {word} 3</code>. This one "
        "is cancelled with <code>{p}action cancel {number}</code>."),
    pN_("action.not_an_owner", "{name} is not an owner of action #{number}."),
    pN_("action.due_set", "Action #{number}: due {due}."),
    pN_("action.edited", "Action #{number} edited: {text}"),
    # Length cap (handlers/core/text.py MAX_TEXT_CHARS).
    pN_("action.too_long",
        "This text is {length} characters long; an action holds at most {max}. Shorten it or put "
        "the details in a link."),
    # --- lists
    pN_("action.list.open", "<b>Open actions</b><br>"),
    pN_("action.list.filtered", "<b>Actions</b> ({filters})<br>"),
    pN_("action.list.empty", "No action matches. Create one with <code>{p}action &lt;what&gt;</code>."),
    pN_("action.list.unassigned", "Unassigned"),
    pN_("action.list.group", "<b>{name}</b>{items}"),
    pN_("action.list.bad_filter",
        "Unknown filter: “{value}”. Filters: <code>mine</code>, <code>@person</code>, "
        "<code>overdue</code>, <code>done</code>, <code>all</code>, <code>#theme</code>."),
    # Long lists come in pages (handlers/actions/commands.py PAGE_SIZE).
    pN_("action.list.page", "<i>Page {page} of {pages}: actions {first} to {last} of {total}.</i>"),
    pN_("action.list.next", "Next page: <code>{command}</code>"),
    pN_("action.list.beyond",
        "There is no page {page}: this list has {pages} pages ({total} actions). The last one: "
        "<code>{command}</code>"),
    npN_("action.list.beyond_one",
         "There is no page {page}: the whole list, {total} action, fits on one page: <code>{command}</code>",
         "There is no page {page}: the whole list, {total} actions, fits on one page: <code>{command}</code>",
         number="total"),
    pN_("action.list.bad_page",
        "“{value}” is not a page number. Write the number after <code>page</code>, for example "
        "<code>{command}</code>."),
    pN_("action.filter.mine", "mine"),
    pN_("action.filter.owner", "of {name}"),
    pN_("action.filter.overdue", "overdue"),
    pN_("action.filter.done", "done"),
    pN_("action.filter.all", "all"),
    pN_("action.filter.theme", "#{name}"),
    pN_("action.line", "<b>#{number}</b> {text}{details}"),
    pN_("action.line.owners", " — {owners}"),
    pN_("action.line.due", " — due {when}"),
    pN_("action.line.overdue", " — <b>overdue</b>"),
    pN_("action.line.status", " — {status}"),
    pN_("action.status.open", "open"),
    pN_("action.status.done", "done"),
    pN_("action.status.cancelled", "cancelled"),
    # --- show
    pN_("action.show",
        "<b>Action #{number}</b>: {text}<br>Status: {status}<br>Owners: {owners}<br>Due: "
        "{due}<br>Themes: {themes}<br><b>History</b>{history}"),
    pN_("action.no_themes", "none"),
    pN_("action.history.line", "{at} — {who} {what}"),
    pN_("action.history.created", "created it"),
    pN_("action.history.assigned", "changed the owners: {owners}"),
    pN_("action.history.unassigned", "changed the owners: {owners}"),
    pN_("action.history.due", "set the deadline: {due}"),
    pN_("action.history.edited", "edited the text: {text}"),
    pN_("action.history.done", "marked it done"),
    pN_("action.history.reopened", "reopened it"),
    pN_("action.history.cancelled", "cancelled it"),
    pN_("action.history.other", "changed it ({kind})"),
    # --- themes
    pN_("theme.summary", "show a theme, or set its referent"),
    pN_("theme.arg.name", "&lt;name&gt;"),
    pN_("theme.arg.referent", "referent @person"),
    pN_("theme.referent_set", "Theme <b>#{name}</b>: referent {referent}."),
    npN_("theme.show",
        "<b>#{name}</b> — referent: {referent} — {count} open action",
        "<b>#{name}</b> — referent: {referent} — {count} open actions"),
    pN_("theme.no_referent", "none"),
    pN_("themes.summary", "list the room's themes, their referents and open actions"),
    pN_("themes.list", "<b>Themes</b>{items}"),
    pN_("themes.arg.page", "page N"),
    pN_("themes.page", "<i>Page {page} of {pages}: themes {first} to {last} of {total}.</i>"),
    pN_("themes.next", "Next page: <code>{command}</code>"),
    pN_("themes.beyond", "There is no page {page}: the themes fit in {pages} pages. The last one: <code>{command}</code>"),
    pN_("themes.beyond_one", "There is no page {page}: the themes fit in one page: <code>{command}</code>"),
    pN_("themes.bad_page", "“{value}” is not a page number. Write for example <code>{example}</code>."),
    pN_("themes.empty",
        "No theme yet. Add <code>#theme</code> to an action, or <code>{p}theme &lt;name&gt; "
        "referent @person</code>."),
    # --- where !aide lists these commands
    pN_("help.section.actions", "Actions"),
    # --- follow-up: reminders before the deadline, the overdue mention, the coordinators' digest
    pN_("followup.nobody", "nobody owns it"),
    pN_("followup.due_soon", "Reminder: action <b>#{number}</b> “{text}” ({room}) is due {when}."),
    # After a late due-soon reminder: the time actually left before the deadline.
    pN_("followup.time_left", " {delay} left."),
    pN_("followup.overdue",
        "Action <b>#{number}</b> “{text}” is overdue (due {when}) — {owners}. <code>{p}action "
        "done {number}</code> if it is done, <code>{p}action due {number} &lt;date&gt;</code> to "
        "postpone it."),
    pN_("followup.digest", "Actions that became overdue in {room}:{items}"),
    pN_("followup.digest_line", "<b>#{number}</b> {text} — {owners} — due {when}"),
    # --- edits and redactions of commands (handlers/actions/edits.py)
    pN_("edit.not_applied", "Edits to commands are not applied: send the corrected command as a new message."),
    pN_("edit.action_late", "Edits to commands are not applied: use <code>{p}action edit {number} …</code>"),
    pN_("edit.owners_due_kept", "Editing the message changes only the text: owners and deadline stay as they were. "
        "To change them: <code>{p}action assign {number} @…</code>, <code>{p}action unassign {number} @…</code>, "
        "<code>{p}action due {number} …</code>"),
    pN_("redaction.not_applied", "Deleting a command does not undo it: use the command that does."),
    pN_("redaction.action_late", "Deleting a command does not undo it: use <code>{p}action cancel {number}</code>"),
    # --- the room's reminders before a deadline (a setting: handlers/actions/followup.py)
    pN_("settings.name.action_due", "reminders before an action's deadline"),
    pN_("settings.sub.action_due", "the reminders before an action's deadline"),
    pN_("settings.show.action_due", "<br>Reminders before an action's deadline: {value}"),
])

# What the follow-up jobs say (outside a command): these texts, and the ones every capability shares.
TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)

"""Texts of meetings: !réunion / !meeting and the commands used during one, and the minutes."""

from handlers.core.catalogue import Catalogue, Texts, npN_, pN_

MESSAGES = Texts(__file__, [
    # --- command help (usage lines come from the declarations)
    pN_("help.section.meetings", "Meetings"),
    pN_("meeting.summary", "start, end, schedule, list, cancel or move meetings (the minutes are posted at the end)"),
    pN_("meeting.details",
        "Two kinds of numbers: <b>scheduled</b> meetings are written P1, P2… (<code>{p}meeting "
        "list</code>); <b>held</b> meetings (the ones with minutes) are meeting 1, 2… "
        "(<code>{p}meetings</code>, <code>{p}minutes N</code>)."),
    # The description of each line of `!aide réunion` (scheduling's lines: handlers/schedule/texts.py).
    pN_("meeting.sub.status", "show the meeting in progress"),
    pN_("meeting.sub.start",
        "open a meeting, one at a time (coordinators; the opener chairs it); within two hours of "
        "a scheduled meeting, that one starts"),
    pN_("meeting.sub.end", "close the meeting and post the minutes (coordinators or the chair)"),
    pN_("meeting.arg.title", "title"),
    pN_("meetings.summary", "list past meetings with their attendance, or the upcoming ones"),
    pN_("minutes.summary", "post the minutes of the last meeting again, or of meeting number N"),
    pN_("minutes.details",
        "During a meeting, with no number: the draft of the minutes so far. N is the number of a "
        "held meeting (<code>{p}meetings</code> lists them), not of a scheduled one (P1, P2…)."),
    pN_("chair.summary", "hand the meeting's chair to someone"),
    pN_("chair.details", "For coordinators and the current chair. The chair may end the meeting."),
    pN_("present.summary", "mark people present (no name: yourself)"),
    pN_("present.details",
        "Name people with a mention, <code>@username</code> or <code>@Name</code>; someone "
        "outside Matrix: <code>@\"First Last\"</code>. While a meeting is open, any member may use "
        "it; Relais acknowledges with a ✅ reaction."),
    pN_("excused.summary", "mark people excused, with the reason at the end of the line"),
    pN_("excused.details",
        "Name people with a mention, <code>@username</code> or <code>@Name</code>; someone "
        "outside Matrix: <code>@\"First Last\"</code>. While a meeting is open, any member may use "
        "it; Relais acknowledges with a ✅ reaction."),
    pN_("late.summary", "mark someone as late (no name: yourself)"),
    pN_("late.details",
        "Name people with a mention, <code>@username</code> or <code>@Name</code>; someone "
        "outside Matrix: <code>@\"First Last\"</code>. While a meeting is open, any member may use "
        "it; Relais acknowledges with a ✅ reaction."),
    pN_("absent.summary", "take people off the attendance list"),
    pN_("absent.details", " While a meeting is open, any member may use it; Relais acknowledges with a ✅ reaction."),
    pN_("scribe.summary", "name the minute-taker (no name: yourself)"),
    pN_("scribe.details",
        "Name people with a mention, <code>@username</code> or <code>@Name</code>; someone "
        "outside Matrix: <code>@\"First Last\"</code>. While a meeting is open, any member may use "
        "it; Relais acknowledges with a ✅ reaction."),
    pN_("topic.summary", "open a topic (a section of the minutes, e.g. one per working group)"),
    pN_("topic.details",
        "What follows (infos, decisions, ideas, links, actions) goes under this topic. While a "
        "meeting is open, any member may use it; Relais acknowledges with a ✅ reaction."),
    pN_("info.summary", "record a piece of information in the minutes"),
    pN_("info.details", "While a meeting is open, any member may use it; Relais acknowledges with a ✅ reaction."),
    pN_("decision.summary", "record a decision in the minutes"),
    pN_("decision.details", "While a meeting is open, any member may use it; Relais acknowledges with a ✅ reaction."),
    pN_("idea.summary", "record an idea in the minutes"),
    pN_("idea.details", "While a meeting is open, any member may use it; Relais acknowledges with a ✅ reaction."),
    pN_("link.summary", "record a link in the minutes"),
    pN_("link.details", "While a meeting is open, any member may use it; Relais acknowledges with a ✅ reaction."),
    pN_("undo.summary", "remove the last item you recorded in the meeting"),
    pN_("undo.details", "Topics, infos, decisions, ideas and links; for an action, use <code>{p}action cancel</code>."),
    # Argument labels of their usage lines.
    pN_("meeting.arg.reason", "reason"),
    pN_("meeting.arg.note", "note"),
    pN_("meeting.arg.topic", "&lt;topic&gt;"),
    pN_("meeting.arg.link", "&lt;url&gt; [text]"),
    # --- replies
    pN_("meeting.none_open",
        "No meeting is open in this room. A coordinator can start one with <code>{p}meeting "
        "start [title]</code>."),
    pN_("meeting.status_none",
        "No meeting is open in this room. A coordinator can start one with <code>{p}meeting "
        "start [title]</code>."),
    pN_("meeting.started",
        "<b>Meeting {number}{title} started</b> — chair: {chair}.<br>During the meeting: "
        "<code>{p}present</code>, <code>{p}excused @name reason</code>, <code>{p}scribe "
        "@name</code>, <code>{p}topic …</code>, <code>{p}info …</code>, <code>{p}decision "
        "…</code>, <code>{p}idea …</code>, <code>{p}link url</code>, <code>{p}action …</code>, "
        "<code>{p}undo</code>. <code>{p}meeting end</code> closes it and posts the minutes."),
    pN_("meeting.already_open",
        "Meeting {number}{title} has been open since {since}. One meeting at a time: end it "
        "first with <code>{p}meeting end</code>."),
    pN_("meeting.status",
        "<b>Meeting {number}{title} in progress</b> since {since} — chair: {chair}; "
        "minute-taker: {scribe}.<br>Current topic: {topic}. Present: {present}; excused: "
        "{excused}."),
    pN_("meeting.nobody", "nobody"),
    pN_("meeting.no_topic", "none"),
    pN_("meeting.not_allowed", "Only coordinators and the meeting's chair ({chair}) can do that."),
    pN_("meeting.role_changed.chair", "Chair: {new} (instead of {old})."),
    pN_("meeting.role_changed.scribe", "Minute-taker: {new} (instead of {old})."),
    pN_("meeting.needs_a_name", "Name at least one person."),
    pN_("meeting.attendance_corrected", "Corrected: {changes}."),
    pN_("meeting.attendance_change", "{person} {old} → {new}"),
    pN_("meeting.status.present", "present"),
    pN_("meeting.status.excused", "excused"),
    pN_("meeting.status.late", "late"),
    pN_("meeting.absent_removed", "Taken off the attendance list: {people}."),
    pN_("meeting.absent_none", "{people} was not on the attendance list."),
    pN_("meeting.item_too_long",
        "This text is {length} characters long; a minutes entry holds at most {max}. Shorten it "
        "or put the details in a link."),
    pN_("meeting.empty_text", "The text to record is missing."),
    pN_("meeting.link_needs_url", "The link's address (starting with <code>https://</code>) is missing."),
    pN_("meeting.nothing_to_undo", "You have recorded nothing in this meeting that I could remove."),
    npN_("meeting.undo_topic_not_empty",
        "Your last addition is the topic “{title}”, under which {count} item was already "
        "recorded: I am not removing it. Remove its content first.",
        "Your last addition is the topic “{title}”, under which {count} items were already "
        "recorded: I am not removing it. Remove its content first."),
    pN_("meeting.undone", "Removed: {what}"),
    pN_("meeting.undo_is_action",
        "Your last addition is action #{number} “{text}”: I am not removing anything. To cancel it: "
        "<code>{p}action cancel {number}</code>."),
    pN_("meeting.undone.topic", "the topic “{text}”"),
    pN_("minutes.none",
        "No meeting has taken place in this room yet. A coordinator can start one with "
        "<code>{p}meeting start [title]</code>."),
    pN_("minutes.no_such_meeting",
        "There is no meeting number {number} in this room. <code>{p}meetings</code> lists them."),
    pN_("minutes.scheduled_ref",
        "{ref} is a scheduled meeting: minutes exist for held meetings (meeting 1, 2…), which "
        "<code>{p}meetings</code> lists.{held}"),
    pN_("minutes.scheduled_held", " The last time it was held is meeting {number}: <code>{p}minutes {number}</code>."),
    pN_("meetings.none", "No meeting has taken place in this room yet."),
    pN_("meetings.none_planned", "No meeting has taken place in this room yet. The planned ones: "
        "<code>{p}meeting list</code>."),
    pN_("meetings.list",
        "<b>Meetings of this room</b>{items}<code>{p}minutes N</code> posts the minutes of "
        "meeting N again."),
    pN_("meetings.line", "Meeting {number}{title} — {day} — {present}, {excused}{open}"),
    npN_("meetings.present",
        "{count} present",
        "{count} present"),
    npN_("meetings.excused",
        "{count} excused",
        "{count} excused"),
    pN_("meetings.open", " — <i>in progress</i>"),
    npN_("meetings.more",
        "… and {count} older meeting.",
        "… and {count} older meetings."),
    # --- the minutes
    pN_("minutes.title", "Minutes of meeting {number}: {title}"),
    pN_("minutes.title_untitled", "Minutes of meeting {number}"),
    pN_("minutes.title_draft", "Draft minutes of meeting {number}: {title} (meeting in progress)"),
    pN_("minutes.title_untitled_draft", "Draft minutes of meeting {number} (meeting in progress)"),
    pN_("minutes.span", "{day}, {start} to {end} ({tz})"),
    pN_("minutes.span_days", "From {start} to {end} ({tz})"),
    pN_("minutes.span_open", "{day}, since {start} ({tz})"),
    pN_("minutes.present", "<b>Present ({count}):</b> {people}"),
    pN_("minutes.present_none", "<b>Present:</b> nobody was marked present"),
    pN_("minutes.excused", "<b>Excused ({count}):</b> {people}"),
    pN_("minutes.late", "<b>Late ({count}):</b> {people}"),
    pN_("minutes.with_reason", "{person} ({reason})"),
    pN_("minutes.chair", "<b>Chair:</b> {person}"),
    pN_("minutes.scribe", "<b>Minute-taker:</b> {person}"),
    pN_("minutes.scribe_none", "<b>Minute-taker:</b> not named"),
    pN_("minutes.also_spoke", "<b>Also spoke (not marked present):</b> {people}"),
    pN_("minutes.general", "General"),
    pN_("minutes.topic", "{n}. {title}"),
    pN_("minutes.topic_empty", "<i>Nothing recorded.</i>"),
    pN_("minutes.no_topics", "<i>No topic recorded.</i>"),
    pN_("minutes.item.info", "<b>Info:</b> {text}"),
    pN_("minutes.item.decision", "<b>Decision:</b> {text}"),
    pN_("minutes.item.idea", "<b>Idea:</b> {text}"),
    pN_("minutes.item.link", "<b>Link:</b> {link}"),
    pN_("minutes.item.action", "<b>Action</b> {action}"),
    pN_("minutes.action", "#{number} {text}{details}"),
    pN_("minutes.action.owners", " — {owners}"),
    pN_("minutes.action.with", " — with {owners}"),
    pN_("minutes.action.due", " — {when}"),
    pN_("minutes.action.status", " ({status})"),
    pN_("minutes.action.carried_from", " <i>(ongoing, from meeting {number})</i>"),
    pN_("minutes.action.carried", " <i>(ongoing)</i>"),
    pN_("minutes.status.done", "done"),
    pN_("minutes.status.cancelled", "cancelled"),
    pN_("minutes.by_person", "Actions by person"),
    pN_("minutes.owner", "<i>{person}</i>"),
    pN_("minutes.unassigned", "<i>Unassigned</i>"),
    pN_("minutes.no_actions", "<i>No actions.</i>"),
    # After the first open actions carried from before (handlers/meetings/common.py CARRIED_SHOWN).
    npN_("minutes.carried_more",
         "<i>… and {count} more open action from before, not listed here.</i>",
         "<i>… and {count} more open actions from before, not listed here.</i>"),
])

# What the minutes say, also outside a command (`python -m bot minutes export`).
TEXTS = Catalogue(MESSAGES)

"""Texts of mobilisations (!mobilisation, !mobilisations, !participe, !désiste), their countdown notices and
direct messages; TEXTS for what is said outside a command."""

from handlers.core.catalogue import Catalogue, Texts, npN_, pN_
from handlers.core.texts import MESSAGES as CORE_MESSAGES

MESSAGES = Texts(__file__, [
    # --- !aide
    pN_("help.section.mobilisations", "Mobilizations"),
    pN_("mobilisation.summary", "announce a mobilization (march, public action) and count who comes"),
    pN_("mobilisation.details",
        "Announcement (coordinators): <code>{p}mobilization &lt;date and time&gt; &lt;title&gt; "
        "[at &lt;place&gt;] [by &lt;organisation&gt;] [link]</code> (or <code>{p}march</code>). "
        "People join by reacting ✅ or 👍 to the announcement, or with <code>{p}join M&lt;N&gt; "
        "[+2]</code>; they withdraw by removing the reaction or with <code>{p}leave "
        "M&lt;N&gt;</code>."),
    pN_("mobilisation.sub.announce", "announce a mobilization (coordinators), or <code>M&lt;N&gt;</code>: show it"),
    pN_("mobilisation.sub.edit", "change its title, place, link or organiser (coordinators)"),
    pN_("mobilisation.sub.cancel", "cancel it; participants are told (coordinators)"),
    pN_("mobilisation.sub.move", "change its date; participants are told (coordinators)"),
    pN_("mobilisations.summary", "upcoming mobilizations"),
    pN_("mobilisations.details", "<code>{p}mobilizations all</code>: past and cancelled ones too."),
    pN_("mobilisations.sub.list", "upcoming mobilizations (<code>all</code>: every one)"),
    pN_("join.summary", "join a mobilization"),
    pN_("join.details", "<code>{p}join M1 +2</code> counts two guests."),
    pN_("join.sub.join", "join (with guests: <code>+2</code>)"),
    pN_("leave.summary", "withdraw from a mobilization"),
    pN_("leave.details", "Removing one's ✅ or 👍 reaction from the announcement does the same."),
    pN_("leave.sub.leave", "withdraw"),
    pN_("mobilisation.arg.text", "&lt;date and time&gt; &lt;title&gt; [at &lt;place&gt;] [link] | M&lt;N&gt;"),
    pN_("mobilisation.arg.ref", "M&lt;N&gt;"),
    pN_("mobilisation.arg.field", "title|place|link|by"),
    pN_("mobilisation.arg.reason", "reason"),
    pN_("mobilisation.arg.all", "all"),
    pN_("mobilisation.arg.guests", "+guests"),
    pN_("mobilisation.help",
        "<b>Announcing a mobilization</b> (coordinators): <code>{p}mobilization &lt;date and "
        "time&gt; &lt;title&gt; [at &lt;place&gt;] [by &lt;organisation&gt;] [link]</code>, for "
        "example <code>{p}march Sunday 9 May 2pm Climate march at the Grand-Place, Lille "
        "https://example.org/march</code>. <code>{p}mobilization M1</code> shows it, "
        "<code>{p}mobilizations</code> lists them; <code>{p}mobilization edit|cancel|move M1 "
        "…</code>. People join by reacting ✅ or 👍 to the announcement or with <code>{p}join M1 "
        "[+2]</code>, and withdraw with <code>{p}leave M1</code>."),
    pN_("settings.name.mobilisation", "countdown before mobilizations"),
    pN_("settings.sub.mobilisation", "the countdown notices before each mobilization"),
    pN_("settings.show.mobilisation", "<br>Countdown before mobilizations: {value}"),
    pN_("mobilisation.sub.relay",
        "announce it in another room where you are a coordinator; people joining there count too "
        "(coordinators)"),
    pN_("mobilisation.arg.room", "#room:server"),
    pN_("mobilisation.relayed_from", "Relayed from: {room}"),
    pN_("mobilisation.per_room", "Per room: {rooms}"),
    pN_("mobilisation.origin_only",
        "Mobilization M{number} is relayed here from “{room}”: edit, move, cancel or relay it "
        "there."),
    pN_("mobilisation.relay_where", "To which room? <code>{p}mobilization M{number} relay #room:server</code>"),
    pN_("mobilisation.relay_unknown_room", "I am not in the room “{room}”: invite me first (or give its id !…)."),
    pN_("mobilisation.relay_same_room", "Mobilization M{number} is already announced in this room."),
    pN_("mobilisation.relay_not_coordinator", "To relay to “{room}”, you must be a coordinator there (level {level})."),
    pN_("mobilisation.relay_already", "Mobilization M{number} is already relayed to “{room}” (M{there} there)."),
    pN_("mobilisation.relayed",
        "📣 Mobilization M{number} relayed to “{room}”, where it is M{there}; people joining "
        "there count too."),
    pN_("mobilisation.sub.leaflet", "attach the leaflet (a link): announcement, countdown (coordinators)"),
    pN_("mobilisation.arg.link", "link"),
    pN_("mobilisation.tract", "Leaflet: {tract}"),
    pN_("mobilisation.bad_tract", "Give the leaflet's link: <code>{p}mobilization M{number} leaflet https://…</code>"),
    pN_("mobilisation.tract_set",
        "Leaflet attached to mobilization M{number} “{title}”: it is in the announcement and "
        "every countdown notice."),
    # --- announcement and view
    pN_("mobilisation.announce", "📣 <b>Mobilization M{number}: {title}</b>"),
    pN_("mobilisation.announce_cancelled", "❌ <b>CANCELLED — Mobilization M{number}: {title}</b>"),
    pN_("mobilisation.show", "<b>Mobilization M{number}: {title}</b>"),
    pN_("mobilisation.when", "When: {when} ({tz})"),
    pN_("mobilisation.place", "Place: {place}"),
    pN_("mobilisation.link", "Link: {link}"),
    pN_("mobilisation.organiser", "Organised by: {organiser}"),
    pN_("mobilisation.count", "Taking part: <b>{count}</b>"),
    pN_("mobilisation.digest.title", "<b>Coming mobilisations</b>{items}"),
    pN_("mobilisation.digest.line", "M{number} {title} — {when} — D-{days} — {count}"),
    pN_("mobilisation.count_guests", "Taking part: <b>{count}</b> (of whom {guests} guests)"),
    pN_("mobilisation.names", "Who: {names}"),
    pN_("mobilisation.how_to_join",
        "To join: react ✅ or 👍 to this message, or <code>{p}join M{number}</code> "
        "(<code>+2</code> for guests); to withdraw: <code>{p}leave M{number}</code>."),
    pN_("mobilisation.countdown_planned", "Countdown notices: {offsets}."),
    pN_("mobilisation.morning_word", "on the morning"),
    # --- bad input
    pN_("mobilisation.no_date",
        "I can't find a date in “{text}”. Write for example <code>{p}mobilization Sunday 9 May "
        "2pm Climate march at the Grand-Place</code>."),
    pN_("mobilisation.needs_time", "“{phrase}” has no time: at what time? (for example <code>2pm</code>)"),
    pN_("mobilisation.no_title", "The mobilization needs a title (before “at &lt;place&gt;”)."),
    pN_("mobilisation.no_such", "There is no mobilization M{number} in this room (<code>{p}mobilizations</code>)."),
    pN_("mobilisation.is_cancelled", "Mobilization M{number} “{title}” was cancelled."),
    pN_("mobilisation.bad_ref",
        "“{ref}” is not a mobilization number: they are written M1, M2… (#1 is an action, P1 a "
        "scheduled meeting)."),
    pN_("mobilisation.bad_field",
        "“{field}”: I can edit title, place, link or by (the organiser). For the date: "
        "<code>{p}mobilization move</code>."),
    pN_("mobilisation.bad_link", "“{value}” is not a link (http…)."),
    pN_("mobilisation.bad_all", "“{word}”: write <code>{p}mobilizations</code> or <code>{p}mobilizations all</code>."),
    pN_("mobilisation.bad_guests", "“{value}”: write the number of guests like <code>+2</code> (at most {most})."),
    pN_("mobilisation.already_past", "Mobilization M{number} has already taken place."),
    # --- replies
    pN_("mobilisation.edited", "Mobilization M{number} edited: {title}. The announcement is updated."),
    pN_("mobilisation.reason", " Reason: {reason}"),
    pN_("mobilisation.cancelled", "❌ Mobilization M{number} “{title}” on {when} is cancelled.{reason}"),
    pN_("mobilisation.cancelled_dm",
        "❌ The mobilization “{title}” (M{number}, {room}) on {when} you were joining is "
        "cancelled.{reason}"),
    pN_("mobilisation.moved", "📅 Mobilization M{number} “{title}” is moved from {old} to <b>{new}</b>."),
    pN_("mobilisation.moved_dm",
        "📅 The mobilization “{title}” (M{number}, {room}) you are joining is moved from {old} to "
        "<b>{new}</b>."),
    pN_("mobilisation.list",
        "<b>Mobilizations</b>{items}<code>{p}mobilization M&lt;N&gt;</code> to see one, "
        "<code>{p}join M&lt;N&gt;</code> to join it."),
    pN_("mobilisation.list_none", "No upcoming mobilization."),
    npN_("mobilisation.line",
        "M{number} {title} — {when} — {count} taking part{mark}",
        "M{number} {title} — {when} — {count} taking part{mark}"),
    pN_("mobilisation.cancelled_mark", " (cancelled)"),
    pN_("mobilisation.past_mark", " (past)"),
    pN_("mobilisation.joined", "✅ You are joining mobilization M{number} “{title}”. {count}"),
    pN_("mobilisation.joined_guests",
        "✅ You are joining mobilization M{number} “{title}” with {guests} guests. {count}"),
    pN_("mobilisation.already_joined", "You are already joining mobilization M{number}. {count}"),
    pN_("mobilisation.left", "You are no longer joining mobilization M{number} “{title}”. {count}"),
    pN_("mobilisation.not_joined", "You were not joining mobilization M{number}."),
    # --- countdown
    npN_("mobilisation.days_before", "{days} day to “{title}” (M{number})", "{days} days to “{title}” (M{number})",
         number="days"),
    pN_("mobilisation.today", "Today: “{title}” (M{number})"),
    pN_("mobilisation.soon", "In {left}: “{title}” (M{number})"),
    pN_("mobilisation.where_short", ", {place}"),
    pN_("mobilisation.countdown", "📣 {head} — {count} — meet at {time}{where}"),
    pN_("mobilisation.eve_dm",
        "📣 Tomorrow: “{title}” (M{number}, {room}), {when}{where}. Thank you for joining! "
        "(<code>{p}unsubscribe mobilizations</code> in that room: no more message the day before)"),
    pN_("subscribe.sub.mobilizations", "get the day-before message of mobilizations again"),
    pN_("unsubscribe.sub.mobilizations", "no more message the day before mobilizations"),
    pN_("mobilisation.opted_out",
        "Noted: no more direct message the day before this room's mobilizations (a cancellation "
        "or a new date is still told). <code>{p}subscribe mobilizations</code> to get them back."),
    pN_("mobilisation.opted_in", "Noted: you will get a direct message the day before the mobilizations you join."),
    # --- preparation: actions and meetings linked to a mobilisation
    pN_("mobilisation.link_unknown",
        "There is no mobilization M{number} in this room: nothing recorded. Link to one of "
        "<code>{p}mobilizations</code>, for example <code>{p}action prepare the leaflet @annie for M1</code>."),
    pN_("mobilisation.link_unknown_meeting",
        "There is no mobilization M{number} in this room: nothing recorded. Link to one of "
        "<code>{p}mobilizations</code>, for example <code>{p}meeting schedule Monday 3 May 6pm Arrangements for "
        "M1</code>."),
    pN_("mobilisation.prepares", "📣 Prepares mobilization M{number} “{title}”."),
    pN_("mobilisation.to_prepare", "To prepare: {items}"),
    pN_("mobilisation.to_prepare_inline", "; to prepare: {items}"),
    pN_("mobilisation.prep_item", "{number}{text} ({owners})"),
    pN_("mobilisation.prep_item_due", "{number}{text} ({owners}, due {due})"),
    pN_("mobilisation.prep_nobody", "nobody yet"),
    pN_("mobilisation.prep_more", " (+{count} more)"),
    pN_("mobilisation.prep_meeting", "Preparation meeting: {number}“{title}” — {when}"),
    # --- the tract as a file
    pN_("tract.summary", "attach a leaflet file (PDF or image) to a mobilization"),
    pN_("tract.details",
        "Post the file as a reply to the mobilization's announcement with <code>{p}leaflet</code> as its "
        "caption, or send <code>{p}leaflet</code> just after the file (within 5 minutes). It is posted again "
        "with the day-before notice (coordinators)."),
    pN_("tract.sub.file", "the file just posted, or posted with it, becomes the leaflet (coordinators)"),
    pN_("mobilisation.tract_no_file",
        "No file to attach: post the leaflet (a PDF or an image) as a reply to the mobilization's "
        "announcement with <code>{p}leaflet</code> as its caption, or send <code>{p}leaflet</code> just after it."),
    pN_("mobilisation.tract_bad_type", "“{filename}” is not a PDF or an image: the leaflet must be one."),
    pN_("mobilisation.tract_which",
        "For which mobilization? Post the file as a reply to its announcement, or write "
        "<code>{p}leaflet M1</code>."),
    pN_("mobilisation.tract_file_set",
        "📎 Leaflet “{filename}” attached to mobilization M{number} “{title}”: it will be posted again with "
        "the day-before notice."),
    pN_("mobilisation.tract_file_line", "Leaflet (file): {filename}"),
])

TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)

"""Texts of action items (!action) and themes (!theme, !themes)."""

MESSAGES = {
    "action.summary": {
        "fr": "crée, liste et suit les actions (qui fait quoi, pour quand)",
        "en": "create, list and follow up actions (who does what, by when)",
    },
    "action.usage": {
        "fr": "<code>{cmd} &lt;quoi&gt; [@personne…] [#thème] [pour|avant|d'ici &lt;date&gt;]</code> · "
        "<code>{cmd} liste [mes|@personne|retard|faites|toutes|#thème]</code> · "
        "<code>{cmd} voir|fait|rouvrir|annuler N</code> · <code>{cmd} assigner|retirer N @personne…</code> · "
        "<code>{cmd} échéance N &lt;date&gt;|aucune</code> · <code>{cmd} modifier N &lt;texte&gt;</code>",
        "en": "<code>{cmd} &lt;what&gt; [@person…] [#theme] [by|before|due &lt;date&gt;]</code> · "
        "<code>{cmd} list [mine|@person|overdue|done|all|#theme]</code> · "
        "<code>{cmd} show|done|reopen|cancel N</code> · <code>{cmd} assign|unassign N @person…</code> · "
        "<code>{cmd} due N &lt;date&gt;|none</code> · <code>{cmd} edit N &lt;text&gt;</code>",
    },
    "action.details": {
        "fr": "Exemple : <code>{p}action @bertrand prendre contact avec Nicolas pour fin mai</code>. "
        "Les personnes en tête ou en fin de texte sont les responsables (pilule, <code>@identifiant</code>, "
        "<code>@Nom</code>, ou <code>@\"Nom Prénom\"</code> pour quelqu'un hors de Matrix). Tout le monde peut "
        "créer et clore une action ; la modifier ou l'annuler revient à son créateur, ses responsables et "
        "aux coordinateurs.",
        "en": "Example: <code>{p}action @bertrand contact Nicolas by end of May</code>. "
        "People at the start or end of the text are the owners (pill, <code>@username</code>, <code>@Name</code>, "
        "or <code>@\"First Last\"</code> for someone outside Matrix). Anyone can create and close an action; "
        "editing or cancelling it is for its creator, its owners and coordinators.",
    },
    # One line per sub-command in `!aide action` (handlers/help.py lists the `action.sub.*` keys in order).
    "action.sub.create": {
        "fr": "<code>{cmd} &lt;quoi&gt; [@personne…] [#thème] [pour|avant|d'ici &lt;date&gt;]</code> — enregistre "
        "une action",
        "en": "<code>{cmd} &lt;what&gt; [@person…] [#theme] [by|before|due &lt;date&gt;]</code> — record an action",
    },
    "action.sub.list": {
        "fr": "<code>{cmd} liste [mes|@personne|retard|faites|toutes|#thème]</code> — les actions ouvertes par "
        "responsable, en retard d'abord ; les filtres se combinent",
        "en": "<code>{cmd} list [mine|@person|overdue|done|all|#theme]</code> — open actions by owner, overdue "
        "first; filters combine",
    },
    "action.sub.show": {
        "fr": "<code>{cmd} voir N</code> — une action et son historique",
        "en": "<code>{cmd} show N</code> — one action with its history",
    },
    "action.sub.done": {
        "fr": "<code>{cmd} fait N</code> — marque l'action faite",
        "en": "<code>{cmd} done N</code> — mark the action done",
    },
    "action.sub.reopen": {
        "fr": "<code>{cmd} rouvrir N</code> — rouvre une action faite ou annulée",
        "en": "<code>{cmd} reopen N</code> — reopen a done or cancelled action",
    },
    "action.sub.assign": {
        "fr": "<code>{cmd} assigner N @personne…</code> — ajoute des responsables",
        "en": "<code>{cmd} assign N @person…</code> — add owners",
    },
    "action.sub.unassign": {
        "fr": "<code>{cmd} retirer N @personne…</code> — retire des responsables",
        "en": "<code>{cmd} unassign N @person…</code> — remove owners",
    },
    "action.sub.due": {
        "fr": "<code>{cmd} échéance N &lt;date&gt;|aucune</code> — change ou retire l'échéance",
        "en": "<code>{cmd} due N &lt;date&gt;|none</code> — change or clear the deadline",
    },
    "action.sub.edit": {
        "fr": "<code>{cmd} modifier N &lt;texte&gt;</code> — change le texte",
        "en": "<code>{cmd} edit N &lt;text&gt;</code> — change the text",
    },
    "action.sub.cancel": {
        "fr": "<code>{cmd} annuler N</code> — annule l'action",
        "en": "<code>{cmd} cancel N</code> — cancel the action",
    },
    "action.created": {
        "fr": "Action <b>#{number}</b> enregistrée : {text}<br>Responsables : {owners}<br>Échéance : {due}",
        "en": "Action <b>#{number}</b> recorded: {text}<br>Owners: {owners}<br>Due: {due}",
    },
    "action.meeting_note": {
        "fr": "<i>Liée à la réunion en cours.</i>",
        "en": "<i>Linked to the current meeting.</i>",
    },
    "action.nobody": {"fr": "personne pour l'instant", "en": "nobody yet"},
    "action.no_due": {"fr": "aucune", "en": "none"},
    "action.due_day": {"fr": "{when} (fin de journée)", "en": "{when} (end of day)"},
    "action.empty": {
        "fr": "Il manque le texte de l'action : que faut-il faire ?",
        "en": "The action's text is missing: what needs doing?",
    },
    "action.not_found": {
        "fr": "Il n'y a pas d'action #{number} dans ce salon. <code>{p}action liste toutes</code> les montre toutes.",
        "en": "There is no action #{number} in this room. <code>{p}action list all</code> shows them all.",
    },
    "action.refused": {
        "fr": "Seuls le créateur de l'action #{number}, ses responsables et les coordinateurs peuvent la "
        "modifier ou l'annuler.",
        "en": "Only the creator of action #{number}, its owners and coordinators can edit or cancel it.",
    },
    "action.done": {"fr": "Action #{number} faite : {text} — bravo !", "en": "Action #{number} done: {text} — well done!"},
    "action.already_done": {"fr": "L'action #{number} est déjà faite.", "en": "Action #{number} is already done."},
    "action.reopened": {"fr": "Action #{number} rouverte : {text}", "en": "Action #{number} reopened: {text}"},
    "action.already_open": {"fr": "L'action #{number} est déjà ouverte.", "en": "Action #{number} is already open."},
    "action.cancelled": {"fr": "Action #{number} annulée : {text}", "en": "Action #{number} cancelled: {text}"},
    "action.already_cancelled": {
        "fr": "L'action #{number} est déjà annulée.", "en": "Action #{number} is already cancelled.",
    },
    "action.is_cancelled": {
        "fr": "L'action #{number} est annulée ; rouvrez-la d'abord avec <code>{p}action rouvrir {number}</code>.",
        "en": "Action #{number} is cancelled; reopen it first with <code>{p}action reopen {number}</code>.",
    },
    "action.assigned": {
        "fr": "Action #{number} : responsables {owners}.", "en": "Action #{number}: owners {owners}.",
    },
    "action.not_an_owner": {
        "fr": "{name} n'est pas responsable de l'action #{number}.",
        "en": "{name} is not an owner of action #{number}.",
    },
    "action.due_set": {"fr": "Action #{number} : échéance {due}.", "en": "Action #{number}: due {due}."},
    "action.edited": {"fr": "Action #{number} modifiée : {text}", "en": "Action #{number} edited: {text}"},
    # Length caps (handlers/text.py MAX_TEXT_CHARS) and the marker of a reply line cut to fit one event.
    "action.too_long": {
        "fr": "Ce texte fait {length} caractères ; une action en contient au plus {max}. "
        "Raccourcissez-le ou mettez le détail dans un lien.",
        "en": "This text is {length} characters long; an action holds at most {max}. "
        "Shorten it or put the details in a link.",
    },
    "meeting.item_too_long": {
        "fr": "Ce texte fait {length} caractères ; une entrée du compte-rendu en contient au plus {max}. "
        "Raccourcissez-le ou mettez le détail dans un lien.",
        "en": "This text is {length} characters long; a minutes entry holds at most {max}. "
        "Shorten it or put the details in a link.",
    },
    "reply.truncated": {"fr": "… (tronqué, {n} caractères)", "en": "… (truncated, {n} characters)"},
    # --- lists
    "action.list.open": {"fr": "<b>Actions ouvertes</b><br>", "en": "<b>Open actions</b><br>"},
    "action.list.filtered": {"fr": "<b>Actions</b> ({filters})<br>", "en": "<b>Actions</b> ({filters})<br>"},
    "action.list.empty": {
        "fr": "Aucune action ne correspond. Créez-en une avec <code>{p}action &lt;quoi&gt;</code>.",
        "en": "No action matches. Create one with <code>{p}action &lt;what&gt;</code>.",
    },
    "action.list.unassigned": {"fr": "Sans responsable", "en": "Unassigned"},
    "action.list.group": {"fr": "<b>{name}</b>{items}", "en": "<b>{name}</b>{items}"},
    "action.list.bad_filter": {
        "fr": "Filtre inconnu : « {value} ». Filtres possibles : <code>mes</code>, <code>@personne</code>, "
        "<code>retard</code>, <code>faites</code>, <code>toutes</code>, <code>#thème</code>.",
        "en": "Unknown filter: “{value}”. Filters: <code>mine</code>, <code>@person</code>, "
        "<code>overdue</code>, <code>done</code>, <code>all</code>, <code>#theme</code>.",
    },
    "action.filter.mine": {"fr": "les miennes", "en": "mine"},
    "action.filter.owner": {"fr": "de {name}", "en": "of {name}"},
    "action.filter.overdue": {"fr": "en retard", "en": "overdue"},
    "action.filter.done": {"fr": "faites", "en": "done"},
    "action.filter.all": {"fr": "toutes", "en": "all"},
    "action.filter.theme": {"fr": "#{name}", "en": "#{name}"},
    "action.line": {"fr": "<b>#{number}</b> {text}{details}", "en": "<b>#{number}</b> {text}{details}"},
    "action.line.owners": {"fr": " — {owners}", "en": " — {owners}"},
    "action.line.due": {"fr": " — pour le {when}", "en": " — due {when}"},
    "action.line.overdue": {"fr": " — <b>en retard</b>", "en": " — <b>overdue</b>"},
    "action.line.status": {"fr": " — {status}", "en": " — {status}"},
    "action.status.open": {"fr": "ouverte", "en": "open"},
    "action.status.done": {"fr": "faite", "en": "done"},
    "action.status.cancelled": {"fr": "annulée", "en": "cancelled"},
    # --- show
    "action.show": {
        "fr": "<b>Action #{number}</b> : {text}<br>État : {status}<br>Responsables : {owners}<br>Échéance : {due}"
        "<br>Thèmes : {themes}<br><b>Historique</b>{history}",
        "en": "<b>Action #{number}</b>: {text}<br>Status: {status}<br>Owners: {owners}<br>Due: {due}"
        "<br>Themes: {themes}<br><b>History</b>{history}",
    },
    "action.no_themes": {"fr": "aucun", "en": "none"},
    "action.history.line": {"fr": "{at} — {who} {what}", "en": "{at} — {who} {what}"},
    "action.history.created": {"fr": "l'a créée", "en": "created it"},
    "action.history.assigned": {"fr": "a changé les responsables : {owners}", "en": "changed the owners: {owners}"},
    "action.history.unassigned": {"fr": "a changé les responsables : {owners}", "en": "changed the owners: {owners}"},
    "action.history.due": {"fr": "a fixé l'échéance : {due}", "en": "set the deadline: {due}"},
    "action.history.edited": {"fr": "a modifié le texte : {text}", "en": "edited the text: {text}"},
    "action.history.done": {"fr": "l'a marquée faite", "en": "marked it done"},
    "action.history.reopened": {"fr": "l'a rouverte", "en": "reopened it"},
    "action.history.cancelled": {"fr": "l'a annulée", "en": "cancelled it"},
    "action.history.other": {"fr": "l'a modifiée ({kind})", "en": "changed it ({kind})"},
    # --- themes
    "theme.summary": {
        "fr": "montre un thème, ou en désigne le référent",
        "en": "show a theme, or set its referent",
    },
    "theme.usage": {
        "fr": "<code>{cmd} &lt;nom&gt; [référent @personne]</code>",
        "en": "<code>{cmd} &lt;name&gt; [referent @person]</code>",
    },
    "theme.referent_set": {
        "fr": "Thème <b>#{name}</b> : référent {referent}.",
        "en": "Theme <b>#{name}</b>: referent {referent}.",
    },
    "theme.show": {
        "fr": "<b>#{name}</b> — référent : {referent} — {count} action(s) ouverte(s)",
        "en": "<b>#{name}</b> — referent: {referent} — {count} open action(s)",
    },
    "theme.no_referent": {"fr": "aucun", "en": "none"},
    "themes.summary": {
        "fr": "liste les thèmes du salon, leurs référents et leurs actions ouvertes",
        "en": "list the room's themes, their referents and open actions",
    },
    "themes.usage": {"fr": "<code>{cmd}</code>", "en": "<code>{cmd}</code>"},
    "themes.list": {"fr": "<b>Thèmes</b>{items}", "en": "<b>Themes</b>{items}"},
    "themes.empty": {
        "fr": "Aucun thème pour l'instant. Ajoutez <code>#thème</code> à une action, ou "
        "<code>{p}thème &lt;nom&gt; référent @personne</code>.",
        "en": "No theme yet. Add <code>#theme</code> to an action, or "
        "<code>{p}theme &lt;name&gt; referent @person</code>.",
    },
}

"""Every registration, top to bottom: the whole conversation surface of the bot in one place."""

from __future__ import annotations

from handlers import alerts, check, guard, help, officers, reports, subscriptions
from handlers.roles import Role
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    show_help = help.help_for(router)
    # Everyone.
    router.command("start", show_help)
    router.command("help", show_help, help_key="help.cmd.help")
    router.command("check", check.check_command, help_key="help.cmd.check", counts_as_check=True)
    router.command("checknum", check.check_indicator, help_key="help.cmd.checknum", counts_as_check=True)
    router.command("report", reports.start_report, help_key="help.cmd.report")
    router.command("lang", help.set_language, help_key="help.cmd.lang")
    router.command("privacy", help.show_privacy, help_key="help.cmd.privacy")
    router.command("forgetme", help.forget_me, help_key="help.cmd.forgetme", groups=False)
    # Group admins, in their group.
    router.command("guard", guard.set_guard, requires=Role.GROUP_ADMIN, help_key="help.cmd.guard")
    # Officers.
    router.command("reports", officers.list_reports, requires=Role.OFFICER, help_key="help.cmd.reports", groups=False)
    router.command("decide", officers.decide, requires=Role.OFFICER, help_key="help.cmd.decide", groups=False)
    router.command("verify", officers.verify_indicator, requires=Role.OFFICER, help_key="help.cmd.verify", groups=False)
    router.command("stats", officers.stats, requires=Role.OFFICER, help_key="help.cmd.stats", groups=False)
    # Superadmins.
    router.command("grant", officers.grant, requires=Role.SUPERADMIN, help_key="help.cmd.grant", groups=False)
    router.command("revoke", officers.revoke, requires=Role.SUPERADMIN, help_key="help.cmd.revoke", groups=False)
    # --- Daily alerts (issue #6) ---
    # /subscribe and /unsubscribe: anyone in a private chat, a group's admins in their group, an officer for a
    # chat named by id; the handler decides with effective_role, because requires=GROUP_ADMIN would refuse
    # citizens in their own private chat.
    router.command("subscribe", subscriptions.subscribe, help_key="help.cmd.subscribe")
    router.command("unsubscribe", subscriptions.unsubscribe, help_key="help.cmd.unsubscribe")
    router.command("alert", alerts.show_today, help_key="help.cmd.alert")
    router.command(
        "alert_new", alerts.start_new_alert, requires=Role.OFFICER, help_key="help.cmd.alert_new", groups=False
    )
    router.command(
        "alert_list", alerts.list_alerts, requires=Role.OFFICER, help_key="help.cmd.alert_list", groups=False
    )
    router.command(
        "alert_cancel", alerts.cancel_alert, requires=Role.OFFICER, help_key="help.cmd.alert_cancel", groups=False
    )
    router.command("broadcast", alerts.broadcast, requires=Role.OFFICER, help_key="help.cmd.broadcast", groups=False)
    router.dialog(alerts.AWAITING_ALERT, alerts.receive_alert_text)
    # --- end of daily alerts ---
    # Buttons: payload prefix → handler.
    router.callback("fb", check.feedback)
    router.callback("rq", check.ask_report_consent)
    router.callback("rc", reports.consent)
    router.callback("fg", help.forget_confirmed)
    # Dialog states (a message that answers a question the bot asked).
    router.dialog(reports.AWAITING_TEXT, reports.receive_report_text)
    # Plain messages: a private message is checked; a group message only reaches the guard.
    router.private_text = check.check_text
    router.group_text = guard.watch_group_message
    return router

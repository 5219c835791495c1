"""Every registration, top to bottom: the whole conversation surface of the bot in one place."""

from __future__ import annotations

from handlers import (
    alerts,
    check,
    guard,
    help,
    indicators,
    officers,
    reports,
    review,
    signature_edit,
    signature_history,
    signatures,
    stats,
    subscriptions,
)
from handlers.dispatch import Callback, Link, Role, Router


def build_router() -> Router:
    router = Router()
    show_help = help.help_for(router)
    # Everyone.
    router.command("start", show_help)
    router.command("help", show_help, help_key="help.cmd.help")
    router.command("check", check.check_command, help_key="help.cmd.check", counts_as_check=True)
    router.command("checknum", check.check_indicator, help_key="help.cmd.checknum", counts_as_check=True)
    router.command("report", reports.start_report, help_key="help.cmd.report")
    # /lang is a chat's own setting: anyone's in a private chat, a group's admins' in their group.
    router.command("lang", help.set_language, in_groups=Role.GROUP_ADMIN, help_key="help.cmd.lang")
    router.command("privacy", help.show_privacy, help_key="help.cmd.privacy")
    router.command("forgetme", help.forget_me, help_key="help.cmd.forgetme", groups=False)
    # Group admins, in their group.
    router.command("guard", guard.set_guard, requires=Role.GROUP_ADMIN, help_key="help.cmd.guard")
    # Officers.
    router.command("review", review.start_review, requires=Role.OFFICER, help_key="help.cmd.review", groups=False)
    router.command("reports", officers.list_reports, requires=Role.OFFICER, help_key="help.cmd.reports", groups=False)
    router.command("decide", officers.decide, requires=Role.OFFICER, help_key="help.cmd.decide", groups=False)
    router.command("verify", officers.verify_indicator, requires=Role.OFFICER, help_key="help.cmd.verify", groups=False)
    router.command("block", indicators.block, requires=Role.OFFICER, help_key="help.cmd.block", groups=False)
    router.command("unblock", indicators.unblock, requires=Role.OFFICER, help_key="help.cmd.unblock", groups=False)
    router.command("stats", stats.show_stats, requires=Role.OFFICER, help_key="help.cmd.stats", groups=False)
    # Officers' signature library: list, show, test a text, add and edit (through the false-alarm guard), take a
    # method out or put it back, its versions and going back to one.
    for name, handler in (
        ("sig_list", signatures.list_signatures),
        ("sig_show", signatures.show_signature),
        ("sig_test", signatures.test_text),
        ("sig_add", signature_edit.start_add),
        ("sig_edit", signature_edit.start_edit),
        ("sig_disable", signatures.disable_signature),
        ("sig_enable", signatures.enable_signature),
        ("sig_history", signature_history.show_history),
        ("sig_rollback", signature_history.rollback),
    ):
        router.command(name, handler, requires=Role.OFFICER, help_key=f"help.cmd.{name}", groups=False)
    # Superadmins.
    router.command("grant", officers.grant, requires=Role.SUPERADMIN, help_key="help.cmd.grant", groups=False)
    router.command("revoke", officers.revoke, requires=Role.SUPERADMIN, help_key="help.cmd.revoke", groups=False)
    # Daily alerts. Subscribing is a chat's own setting too; naming another chat by id (a channel the bot posts
    # in) is for officers, and that form is tried first.
    router.command("subscribe", subscriptions.subscribe, in_groups=Role.GROUP_ADMIN, help_key="help.cmd.subscribe")
    router.variant("subscribe", subscriptions.names_a_chat, subscriptions.subscribe_named, requires=Role.OFFICER)
    router.command(
        "unsubscribe", subscriptions.unsubscribe, in_groups=Role.GROUP_ADMIN, help_key="help.cmd.unsubscribe"
    )
    router.variant("unsubscribe", subscriptions.names_a_chat, subscriptions.unsubscribe_named, requires=Role.OFFICER)
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
    # Buttons: payload prefix → handler, and the session states the press may act on (others are stale).
    verdict, consent = check.VerdictStep.SHOWN, reports.ReportStep.AWAITING_CONSENT
    router.callback(Callback.FEEDBACK, check.feedback, states=[verdict])
    router.callback(Callback.REPORT_THIS, check.ask_report_consent, states=[verdict])
    router.callback(Callback.CONSENT, reports.consent, states=[verdict, consent])
    router.callback(Callback.FORGET, help.forget_confirmed, states=[help.ForgetStep.AWAITING_CONFIRMATION])
    router.callback(Callback.REVIEW, review.act, states=[review.ReviewStep.SHOWN], requires=Role.OFFICER)
    router.callback(
        Callback.SIGNATURE,
        signature_edit.confirm,
        states=[signature_edit.SignatureStep.AWAITING_CONFIRMATION],
        requires=Role.OFFICER,
    )
    # Links into a private chat with the bot (each adapter renders them in its own form).
    router.link(Link.DETAILS, guard.show_details, states=[guard.WarningStep.DETAILS_OFFERED])
    # Dialog states (a message that answers a question the bot asked).
    router.dialog(reports.ReportStep.AWAITING_TEXT, reports.receive_report_text)
    router.dialog(alerts.NewAlertStep.AWAITING_TEXT, alerts.receive_alert_text)
    router.dialog(signature_edit.SignatureStep.AWAITING_FIELD, signature_edit.receive_field)
    # Plain messages: a private message is checked; a group message only reaches the guard; "@bot" in a group,
    # alone or replying to a message, is /check.
    router.private_text = check.check_text
    router.group_text = guard.watch_group_message
    router.mention = "check"
    return router

"""The email-alert pages: subscribe (a form: personal, never kept), confirm, unsubscribe
(one click, RFC 8058: a POST with no CSRF token from the mail client)."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from partnerships.alerts import (
    SUBSCRIPTIONS_PER_HOUR,
    UNSUBSCRIBE_SALT,
    AlertLinkProblem,
    SubscribeForm,
    SubscriptionLimitReached,
    confirm_subscription,
    over_subscription_limit,
    subject_of,
    subscribe,
    subscription_for,
    unsubscribe,
)
from partnerships.models import Subscription
from partnerships.suggestions import client_fingerprint


def follow_page(request):
    scope, target = subject_of(request.GET)
    subject = Subscription(scope=scope, **target).subject()
    fingerprint = client_fingerprint(request)
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if over_subscription_limit(fingerprint):
            return limit_reached(request, form, subject)
        if form.is_valid():
            try:
                subscribe(form.cleaned_data["email"], scope, target, fingerprint)
            except SubscriptionLimitReached:
                return limit_reached(request, form, subject)
            return render(request, "partnerships/follow_check_email.html", {"subject": subject})
    else:
        form = SubscribeForm()
    return render(request, "partnerships/follow.html", {"form": form, "subject": subject})


def limit_reached(request, form, subject):
    """429, with the form re-shown as filled in and the limit said at its top."""
    form.is_valid()
    form.add_error(
        None,
        f"This connection has asked for {SUBSCRIPTIONS_PER_HOUR} alerts in the last hour, the "
        "most we accept. Please try again in an hour; nothing you asked for before is lost.",
    )
    context = {"form": form, "subject": subject}
    response = render(request, "partnerships/follow.html", context, status=429)
    response["Retry-After"] = "3600"
    return response


def follow_confirm(request, token):
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        if request.method == "POST":
            subscription = confirm_subscription(token)
            return render(request, "partnerships/follow_done.html", {"subscription": subscription})
        from partnerships.alerts import CONFIRM_SALT, CONFIRM_WITHIN

        subscription = subscription_for(token, CONFIRM_SALT, max_age=CONFIRM_WITHIN)
    except AlertLinkProblem as problem:
        return alert_link_problem(request, problem)
    return render(request, "partnerships/follow_confirm.html", {"subscription": subscription})


@csrf_exempt
def follow_unsubscribe(request, token):
    """One click: a POST unsubscribes at once (the mail client's, or the page's button).
    No token, no change: the link itself is the credential."""
    try:
        if request.method == "POST":
            unsubscribe(token)
            return render(request, "partnerships/unsubscribed.html")
        try:
            subscription = subscription_for(token, UNSUBSCRIBE_SALT)
        except AlertLinkProblem as problem:
            if problem.kind != "gone":
                raise
            return render(request, "partnerships/unsubscribed.html")
    except AlertLinkProblem as problem:
        return alert_link_problem(request, problem)
    return render(request, "partnerships/unsubscribe.html", {"subscription": subscription})


def alert_link_problem(request, problem):
    status = {"invalid": 400, "expired": 410, "gone": 410}[problem.kind]
    return render(
        request, "partnerships/follow_problem.html", {"problem": problem.kind}, status=status
    )

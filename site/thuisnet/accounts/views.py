"""The person's own inbox ("Mijn meldingen")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import inbox

PER_PAGE = 20


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(inbox.inbox_of(request.user), PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    return render(
        request,
        "accounts/inbox.html",
        {"page_obj": page, "notifications": list(page.object_list)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    url = inbox.mark_read(request.user, pk)
    if url is None:
        messages.error(request, _("Deze melding bestaat niet (meer)."))
        return redirect("accounts:inbox")
    safe = url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    if request.POST.get("open") and safe:
        return redirect(url)
    messages.success(request, _("Melding als gelezen gemarkeerd."))
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = inbox.mark_all_read(request.user)
    if changed:
        messages.success(request, _("Alle meldingen zijn als gelezen gemarkeerd."))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    page = request.POST.get("pagina", "")
    base = "/meldingen/"
    return f"{base}?pagina={page}" if page.isdigit() else base

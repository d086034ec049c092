"""The start path's pages: the starter's own path, the coach's overview and one starter,
the region's suppressed overview, and the document download. Views parse, authorise, call
one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuisnet.accounts.policies import can, require
from thuisnet.core.audit import record_read

from .. import services
from ..models import Starter, StepProgress
from . import selectors
from .forms import DocumentForm


def _ask_url(step) -> str:
    return f"{reverse('knowledge:ask')}?thema=start&stap={step.pk}"


def _render_path(request, starter, *, own: bool, form=None, form_step=None, status=200):
    context = selectors.path_of(starter, request)
    for view in context["steps"]:
        view.ask_url = _ask_url(view.step)
        view.form = (
            form
            if (form is not None and form_step == view.step.pk)
            else DocumentForm(prefix=f"s{view.step.pk}")
        )
    context.update(
        {
            "own": own,
            "can_ask": can(request.user, "knowledge.ask"),
            "ask_reason": "" if can(request.user, "knowledge.ask") else _ask_refusal(request.user),
        }
    )
    return render(request, "knowledge/startpath/path.html", context, status=status)


def _ask_refusal(user) -> str:
    return _(
        "Vragen stellen kan zodra je aanbieder je gezin heeft bevestigd. Neem zolang contact op met je coach."
    )


@login_required
def my_path(request):
    starter = selectors.starter_of(request.user)
    if starter is None:
        if can(request.user, "startpath.coach"):
            return redirect("knowledge:startpath_coach")
        if can(request.user, "startpath.view_region"):
            return redirect("knowledge:startpath_region")
        return render(request, "knowledge/startpath/none.html", status=404)
    require(request.user, "startpath.view_starter", starter)
    return _render_path(request, starter, own=True)


@login_required
@require_POST
def mark_done(request, step_id: int):
    done = request.POST.get("done", "1") != "0"
    try:
        services.mark_step_done(request.user, step_id, done=done)
    except services.KnowledgeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Stap afgevinkt.") if done else _("Stap staat weer open."))
    # A finished step is folded away: go on to the step that is now current.
    anchor = "huidige-stap" if done else f"stap-{step_id}"
    return HttpResponseRedirect(f"{reverse('knowledge:startpath')}#{anchor}")


@login_required
@require_POST
def add_document(request, step_id: int):
    form = DocumentForm(request.POST, request.FILES, prefix=f"s{step_id}")
    form.is_valid()
    data = form.cleaned_data
    try:
        services.attach_document(
            request.user,
            step_id,
            upload=data.get("upload"),
            url=data.get("url", ""),
            name=data.get("name", ""),
        )
    except services.KnowledgeError as exc:
        starter = selectors.starter_of(request.user)
        if starter is None:
            raise Http404 from exc
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render_path(request, starter, own=True, form=form, form_step=step_id, status=422)
    messages.success(request, _("Document opgeslagen."))
    return HttpResponseRedirect(f"{reverse('knowledge:startpath')}#stap-{step_id}")


@login_required
def download(request, progress_id: int):
    progress = get_object_or_404(StepProgress.objects.select_related("starter"), pk=progress_id)
    if not can(request.user, "startpath.view_starter", progress.starter) or not progress.document:
        raise Http404
    if progress.starter.user_id != request.user.pk:
        record_read(request.user, "knowledge.starter_document", [progress.pk], request=request)
    return FileResponse(
        progress.document.open("rb"), as_attachment=True, filename=progress.document.name.rsplit("/", 1)[-1]
    )


@login_required
def coach(request):
    require(request.user, "startpath.coach")
    rows = selectors.coach_starters(request.user)
    record_read(request.user, "knowledge.starter", [r.starter.pk for r in rows], request=request)
    return render(request, "knowledge/startpath/coach.html", {"rows": rows})


@login_required
def starter_detail(request, pk: int):
    starter = get_object_or_404(Starter.objects.select_related("path", "provider", "coach", "user"), pk=pk)
    if not can(request.user, "startpath.view_starter", starter):
        raise Http404
    if starter.user_id == request.user.pk:
        return redirect("knowledge:startpath")
    record_read(request.user, "knowledge.starter", [starter.pk], request=request)
    return _render_path(request, starter, own=False)


@login_required
def region(request):
    require(request.user, "startpath.view_region")
    from thuisnet.accounts.models import Region

    regions = [r for r in Region.objects.order_by("name") if can(request.user, "startpath.view_region", r)]
    if not regions:
        raise PermissionDenied
    overviews = [selectors.region_overview(p) for r in regions for p in selectors.region_paths(r)]
    return render(request, "knowledge/startpath/region.html", {"overviews": overviews, "regions": regions})

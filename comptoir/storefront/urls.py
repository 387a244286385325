"""Storefront URLs; each view is closed to visitors of a private store unless marked open."""

from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import path, reverse_lazy

from comptoir.credits import views as credit_views
from comptoir.payments import views as invoice_views
from comptoir.quotes import views as quote_views
from comptoir.returns import views as return_views
from comptoir.storefront.access import open_to_visitors
from comptoir.storefront.forms import LoginForm
from comptoir.storefront.sitemaps import CategorySitemap, ProductSitemap
from comptoir.storefront.views import (
    account,
    approval_settings,
    approvals,
    buying,
    catalog,
    lists,
    offers,
    ordering_views,
    orders,
    pages,
    team,
)
from comptoir.tax import views as tax_views

app_name = "storefront"

password_reset = auth_views.PasswordResetView.as_view(
    template_name="storefront/auth/password_reset.html",
    email_template_name="storefront/auth/password_reset_email.txt",
    subject_template_name="storefront/auth/password_reset_subject.txt",
    success_url=reverse_lazy("storefront:password_reset_sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="storefront/auth/password_reset_sent.html"
)
password_set = auth_views.PasswordResetConfirmView.as_view(
    template_name="storefront/auth/password_set.html",
    success_url=reverse_lazy("storefront:password_set_done"),
)
password_set_done = auth_views.PasswordResetCompleteView.as_view(
    template_name="storefront/auth/password_set_done.html"
)

urlpatterns = [
    path("", catalog.home, name="home"),
    path("c/<str:code>/", catalog.category, name="category"),
    path("search/", catalog.search, name="search"),
    path("p/<str:sku>/", catalog.product, name="product"),
    path("f/<str:code>/", ordering_views.family, name="family"),
    path("offers/", offers.offers, name="offers"),
    path("cart/", buying.cart, name="cart"),
    path("cart/add/", buying.cart_add, name="cart_add"),
    path("cart/add-all/", ordering_views.add_all, name="add_all"),
    path("cart/lines/<str:sku>/", buying.cart_line, name="cart_line"),
    path("cart/clear/", buying.cart_clear, name="cart_clear"),
    path("cart/location/", buying.cart_location, name="cart_location"),
    path("quick-order/", buying.quick_order, name="quick_order"),
    path("checkout/", orders.checkout, name="checkout"),
    path("checkout/summary/", orders.checkout_summary, name="checkout_summary"),
    path("checkout/place/", orders.place_order, name="place_order"),
    path("orders/", orders.orders, name="orders"),
    path("orders/<str:number>/", orders.order, name="order"),
    path("orders/<str:number>/reorder/", buying.reorder, name="reorder"),
    path("orders/<str:number>/return/", return_views.return_new, name="return_new"),
    path("returns/<str:number>/", return_views.return_page, name="return"),
    path("returns/<str:number>/cancel/", return_views.return_cancel, name="return_cancel"),
    path("returns/<str:number>/photo/", return_views.return_photo, name="return_photo"),
    path("invoices/<str:number>.pdf", invoice_views.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<str:number>/", invoice_views.invoice_page, name="invoice"),
    path(
        "credit-notes/<str:number>.pdf", credit_views.credit_note_pdf_view, name="credit_note_pdf"
    ),
    path("credit-notes/<str:number>/", credit_views.credit_note_page, name="credit_note"),
    path("account/", account.account, name="account"),
    path("account/certificates/", account.certificate_upload, name="certificate_upload"),
    path(
        "account/certificates/<int:pk>/document/",
        tax_views.certificate_document,
        name="certificate_document",
    ),
    path("account/quotes/", quote_views.quotes, name="quotes"),
    path("account/quotes/new/", quote_views.quote_new, name="quote_new"),
    path("account/quotes/<str:number>.pdf", quote_views.quote_pdf, name="quote_pdf"),
    path("account/quotes/<str:number>/", quote_views.quote, name="quote"),
    path("account/quotes/<str:number>/answer/", quote_views.quote_answer, name="quote_answer"),
    path("lists/", lists.lists, name="lists"),
    path("lists/from-cart/", lists.list_from_cart, name="list_from_cart"),
    path("lists/collect/", lists.list_collect, name="list_collect"),
    path("lists/<int:list_id>/", lists.requisition_list, name="list"),
    path("lists/<int:list_id>/delete/", lists.list_delete, name="list_delete"),
    path("lists/<int:list_id>/lines/", lists.list_add, name="list_add"),
    path("lists/<int:list_id>/lines/<str:sku>/", lists.list_line, name="list_line"),
    path("lists/<int:list_id>/selected/", lists.list_selected, name="list_selected"),
    path("account/team/", team.team, name="team"),
    path("account/team/users/<int:user_id>/", team.team_member, name="team_member"),
    path(
        "account/team/users/<int:user_id>/active/",
        team.team_member_active,
        name="team_member_active",
    ),
    path(
        "account/team/invitations/<int:invitation_id>/",
        team.team_invitation,
        name="team_invitation",
    ),
    path("team/join/<str:token>/", team.team_join, name="team_join"),
    path("account/approvals/", approvals.approvals, name="approvals"),
    path("account/approvals/<str:number>/", approvals.approval, name="approval"),
    path(
        "account/approvals/<str:number>/approve/",
        approvals.approval_approve,
        name="approval_approve",
    ),
    path(
        "account/approvals/<str:number>/reject/", approvals.approval_reject, name="approval_reject"
    ),
    path(
        "account/approvals/<str:number>/withdraw/",
        approvals.approval_withdraw,
        name="approval_withdraw",
    ),
    path("account/approvals/<str:number>/retry/", approvals.approval_retry, name="approval_retry"),
    path("account/approval-rules/", approval_settings.approval_rules, name="approval_rules"),
    path(
        "account/approval-rules/new/",
        approval_settings.approval_rule,
        name="approval_rule_new",
    ),
    path(
        "account/approval-rules/<int:rule_id>/",
        approval_settings.approval_rule,
        name="approval_rule",
    ),
    path(
        "account/approval-rules/<int:rule_id>/delete/",
        approval_settings.approval_rule_delete,
        name="approval_rule_delete",
    ),
    path("account/budgets/", approval_settings.company_budget_list, name="budgets"),
    path("account/budgets/new/", approval_settings.company_budget, name="budget_new"),
    path("account/budgets/<int:budget_id>/", approval_settings.company_budget, name="budget"),
    path(
        "account/budgets/<int:budget_id>/delete/",
        approval_settings.company_budget_delete,
        name="budget_delete",
    ),
    path("account/request/", account.account_request, name="account_request"),
    path("account/request/sent/", account.account_request_sent, name="account_request_sent"),
    path(
        "account/login/",
        open_to_visitors(
            auth_views.LoginView.as_view(
                template_name="storefront/auth/login.html",
                authentication_form=LoginForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("account/logout/", open_to_visitors(auth_views.LogoutView.as_view()), name="logout"),
    path("account/password/reset/", open_to_visitors(password_reset), name="password_reset"),
    path(
        "account/password/reset/sent/",
        open_to_visitors(password_reset_sent),
        name="password_reset_sent",
    ),
    path(
        "account/password/set/<uidb64>/<token>/",
        open_to_visitors(password_set),
        name="password_set",
    ),
    path(
        "account/password/set/done/",
        open_to_visitors(password_set_done),
        name="password_set_done",
    ),
    path("legal/", pages.legal, name="legal"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"products": ProductSitemap, "categories": CategorySitemap}},
        name="sitemap",
    ),
]

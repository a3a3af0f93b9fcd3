"""Payment gateway plugins: one interface (base.PaymentGateway), looked up by name (registry).

How the portal's generic views use them (DESIGN.md §6; `<gateway>` is the URL's gateway name):

    try:
        gateway = get_gateway(name)            # LookupError -> Http404
    except LookupError:
        raise Http404

    # start: Payment row first (its reference and created_at), then
    redirect = gateway.start_payment(payment_ref=p.reference, amount=p.amount, order_info=...,
                                     return_url=absolute /thanh-toan/<gateway>/return/,
                                     ipn_url=absolute /thanh-toan/<gateway>/ipn/,
                                     client_ip=..., bank_code="", created_at=p.created_at)
    # GatewayError (MoMo create refused or unreachable) -> message to the citizen, payment stays open
    # redirect.method == "GET": HttpResponseRedirect(redirect.url); "POST": auto-submitted form of redirect.data

    # return (shows the outcome, never marks paid):
    outcome = gateway.parse_return(request.GET)

    # webhook (the only thing that marks paid): store the raw callback first, then
    parsed = gateway.verify_webhook(request)   # never raises
    code = BAD_SIGNATURE if not parsed.signature_ok, UNKNOWN_ORDER if no Payment has parsed.reference,
           WRONG_AMOUNT if parsed.amount_vnd != payment.amount, ALREADY_FINAL if the payment is final,
           else ACCEPTED (after a guarded update to paid / failed), UNEXPECTED on an error
    return gateway.webhook_response(code)      # VNPay JSON RspCode, MoMo 204

    # reconciliation: gateway.query_status(payment_ref=..., created_at=p.created_at) -> GatewayOutcome
    # refund: gateway.refund(payment_ref=..., amount=..., transaction_id=..., created_at=..., reason=..., requested_by=...)
"""

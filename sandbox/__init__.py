"""The payment sandbox: a simulated VNPay bank gateway and MoMo e-wallet, mounted at /sandbox/.

A development stand-in: installed and mounted only when PAYMENT_SANDBOX is on (portal/settings/base.py, portal/urls.py).

It stands in for the real gateways and imports nothing of the portal (not even
payments.gateways): it speaks the protocols of DESIGN.md §6 from the gateway's side and
talks to the portal only over HTTP, so swapping in the real gateway changes keys and URLs only.
It knows one merchant per gateway, with the keys the portal's settings hold.

- VNPay: GET vnpay/paymentv2/vpcpay.html (signed query) -> method page (VNPAY-QR, domestic card
  with the bank list, international card) -> card form -> OTP 123456. vnp_BankCode is honoured: a
  bank's code opens that bank's card form, VNPAYQR / VNBANK / INTCARD that method. Every listed bank
  has test cards (NCB: 9704198526191432198, NGUYEN VAN A, 07/15; the others <BIN>0000000018), shown
  on its page, giving success, insufficient funds or (NCB) a locked card;
  three wrong OTPs, "Hủy thanh toán" and "hết thời gian" give 13, 24 and 11.
  POST vnpay/merchant_webapi/api/transaction answers querydr and refund.
- MoMo: POST momo/v2/gateway/api/create -> payUrl (wallet page: confirm, insufficient balance,
  timeout, cancel); POST momo/v2/gateway/api/query and .../refund.
- Every final form chooses the IPN: now, delayed (PAYMENT_SANDBOX_IPN_DELAY), three copies, or
  none. tasks.deliver_ipn sends it and retries with a doubling delay until the merchant
  acknowledges; each attempt is a SandboxIpnDelivery row, listed at /sandbox/ and in the admin.
  With in-process tasks (no broker) the delays are not waited for.
"""

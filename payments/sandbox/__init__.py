"""The payment sandbox: a simulated VNPay bank gateway and MoMo e-wallet.

It stands in for the real gateways and imports nothing of the portal (not even
payments.gateways): it speaks the protocols of DESIGN.md §6 from the gateway's side and
talks to the portal only over HTTP, so swapping in the real gateway changes keys and URLs only.
"""

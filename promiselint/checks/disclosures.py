"""Disclosures a page owes the buyer, and whether the page (or the site) gives them.

A full page (an HTML document, Markdown with front matter) owes, by default,
the privacy policy, a disclaimer, a way to contact the seller and the return
policy; a product page (a price, a Product JSON-LD, or front matter
`type: product`) also owes the shipping-total statement.  `page_types` in the
config maps front matter types or path globs to other sets.

How a disclosure can be shown (cues are data: lexicons/{ar,fa,en}/disclosures.yaml,
merged, every cue tried on every page, matched on the "ar" fold of the text so
that digits, Arabic/Persian letter variants and ZWNJ spellings meet):

* a link: its text (a label such as «الخصوصية» or a name such as «سياسة
  الخصوصية») or its target (`/policies/refund-policy`, an Arabic slug);
  for contact also `mailto:`, `tel:`, `sms:`, WhatsApp (wa.me, api.whatsapp.com);
* a heading or the page title naming it (the page *is* the policy);
* body text that is the disclosure itself («استرجاع خلال ١٤ يوماً», "we are not
  liable for", an email address, a phone number in any digit system, a postal
  address, an <address> element, a contact form with a message box);
* schema.org JSON-LD anywhere in doc.structured (nested, @graph):
  hasMerchantReturnPolicy, contactPoint / telephone / email / address,
  termsOfService, shippingDetails;
* Markdown front matter fields (`return_policy:`, `phone:`, `shipping: free`...).

Shipping-total: once a page shows a price (an amount with a currency, in any
digit system and with ٬ , ٫ separators), the page must say that the price or
total includes shipping, or state the shipping cost (a shipping word beside an
amount: «رسوم الشحن: 15 درهم», "£4.95 UK delivery") or free-shipping terms.
"Calculated at checkout", "excluding shipping" and the like are masked out
first, so they never count.  JSON-LD offers.shippingDetails counts.  The
statement may be anywhere on the page (an announcement bar, a note under a
product grid): it covers every price on that page.

Judgment calls:

* Terms pages («الشروط والأحكام», «قوانین و مقررات», "Terms of service")
  count as the disclaimer: that is where stores put their liability and
  warranty disclaimers.
* A page whose own body is a placeholder («محتوى صفحة سياسة الخصوصية», "Lorem
  ipsum", "Coming soon" on an otherwise empty page) does not show the policy
  its heading names.  The same phrases next to a policy name in a footer
  ("Privacy policy coming soon") cancel that mention.
* Contact: "Contact us" inside a sentence is not a contact; a link, a heading,
  a label, or an actual email/phone/address/WhatsApp/form is.
* Page mode (check_page) judges a page alone: a link naming a disclosure
  counts whatever its target, since the target cannot be seen.  Site mode
  (check_site) follows the link: the target must exist in the site and have
  real content; a missing target is a `broken-link` finding (so is a dead
  `#` link), a placeholder target a `placeholder-policy` finding, and either
  replaces the missing-disclosure finding for that kind.  Links to other
  hosts are taken on trust.

The code, one step a module:

* disclosure_cues.py: the cue lexicons (each cue compiled on first use, in a latin form for text without Arabic letters) and `CueIndex` (one
  scan of a page says which cues each block may hold);
* disclosure_contact.py, disclosure_shipping.py: contact details, the
  shipping statement, in one block;
* disclosure_evidence.py: `evidence`, what a page shows, in one pass;
* disclosure_verdicts.py: what a page owes, `check_page`, `check_site`.

This module keeps their public names.
"""
from __future__ import annotations

from .disclosure_cues import KINDS, LINK_KINDS, load_lexicon
from .disclosure_evidence import Evidence, evidence
from .disclosure_verdicts import (
                                  DEFAULT_PAGE,
                                  DEFAULT_PRODUCT,
                                  FINDING_KINDS,
                                  Missing,
                                  check_page,
                                  check_site,
                                  page_requirements,
)

__all__ = ["KINDS", "LINK_KINDS", "FINDING_KINDS", "DEFAULT_PAGE", "DEFAULT_PRODUCT", "Missing",
           "Evidence", "evidence", "load_lexicon", "check_page", "check_site", "page_requirements"]

// Step 1: choosing the applicant's commune selects the agency serving it (its People's Committee, listed
// first), when the procedure is received there; the citizen may still choose another agency.
document.querySelectorAll("select[name='agency']").forEach(function (agency) {
  var commune = agency.form && agency.form.querySelector("select[name$='commune_code']");
  if (!commune) return;
  commune.addEventListener("change", function () {
    var own = agency.querySelector("option[data-commune='" + CSS.escape(commune.value) + "']");
    if (own) agency.value = own.value;
  });
});

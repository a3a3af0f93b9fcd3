// Refresh the commune list when the province changes; without this script the form
// offers a "Tải danh sách xã, phường" button that re-renders the page instead.
document.querySelectorAll("form[data-communes-url]").forEach(function (form) {
  var province = form.querySelector("select[name$='province_code']");
  var commune = form.querySelector("select[name$='commune_code']");
  if (!province || !commune) return;
  province.addEventListener("change", function () {
    var url = form.dataset.communesUrl + "?tinh=" + encodeURIComponent(province.value);
    commune.disabled = true;
    fetch(url, {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var first = commune.options[0];
        commune.replaceChildren(first);
        data.communes.forEach(function (pair) {
          var option = document.createElement("option");
          option.value = pair[0];
          option.textContent = pair[1];
          commune.appendChild(option);
        });
        commune.value = "";
      })
      .finally(function () { commune.disabled = false; });
  });
});

// 省/市/区: choosing a province lists its cities, a city its districts (china-area-data, from npm).
(function () {
  "use strict";
  var form = document.querySelector("form[data-regions]");
  if (!form || !window.fetch) return;
  var levels = ["province", "city", "district"].map(function (level) {
    return form.querySelector("select[data-region=" + level + "]");
  });
  if (levels.some(function (select) { return !select; })) return;
  var pick = levels[0].options[0].textContent;

  fetch(form.getAttribute("data-regions")).then(function (r) { return r.json(); }).then(function (tree) {
    function codeOf(name, parent) {
      var children = tree[parent] || {};
      for (var code in children) { if (children[code] === name) return code; }
      return null;
    }
    function fill(select, parent) {
      var keep = select.value;
      select.innerHTML = "";
      select.appendChild(new Option(pick, ""));
      var children = (parent && tree[parent]) || {};
      Object.keys(children).forEach(function (code) {
        select.appendChild(new Option(children[code], children[code], false, children[code] === keep));
      });
    }
    levels[0].addEventListener("change", function () {
      fill(levels[1], codeOf(levels[0].value, "86"));
      fill(levels[2], null);
    });
    levels[1].addEventListener("change", function () {
      fill(levels[2], codeOf(levels[1].value, codeOf(levels[0].value, "86")));
    });
  });
})();

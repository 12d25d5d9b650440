// Schema rows of the pool design form: add and remove rows, and show the
// inputs that fit each row. Without this file the page still works.
(function () {
  "use strict";
  const root = document.querySelector("[data-formset]");
  if (!root) return;
  const prefix = root.getAttribute("data-formset");
  const total = root.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  const rows = root.querySelector("[data-formset-rows]");
  const template = root.querySelector("template[data-formset-empty]");
  const field = (row, name) => row.querySelector("[name$='-" + name + "']");

  function sync(row) {
    const kind = field(row, "kind").value;
    row.querySelectorAll("[data-show-kind]").forEach(function (el) {
      el.hidden = el.getAttribute("data-show-kind") !== kind;
    });
    let type = field(row, "attribute_data_type").value;
    const standard = field(row, "standard_name");
    if (!type && kind === "standard" && standard.selectedIndex > 0) {
      const match = standard.options[standard.selectedIndex].text.match(/\((\w+)\)$/);
      type = match ? match[1] : "";
    }
    row.querySelectorAll("[data-constraint]").forEach(function (el) {
      const filled = Array.from(el.querySelectorAll("input")).some((i) => i.value !== "");
      el.hidden = el.getAttribute("data-constraint") !== type && !filled;
    });
    const prefixLabel = row.querySelector("[data-name-prefix]");
    prefixLabel.textContent = field(row, "developer_only").checked ? "dev:" : "custom:";
  }

  function enhance(row) {
    row.querySelector("[data-formset-remove]").classList.remove("d-none");
    row.querySelector("[data-no-js]").hidden = true;
    row.hidden = field(row, "DELETE").checked;
    sync(row);
  }

  root.querySelector("[data-formset-add]").addEventListener("click", function (event) {
    event.preventDefault();
    const html = template.innerHTML.replace(/__prefix__/g, total.value);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(Number(total.value) + 1);
    enhance(rows.lastElementChild);
  });
  root.addEventListener("click", function (event) {
    const button = event.target.closest("[data-formset-remove]");
    if (!button) return;
    const row = button.closest("[data-schema-row]");
    field(row, "DELETE").checked = true;
    row.hidden = true;
  });
  root.addEventListener("change", function (event) {
    const row = event.target.closest("[data-schema-row]");
    if (row) sync(row);
  });
  root.querySelectorAll("[data-schema-row]").forEach(enhance);
})();

// Schema rows of the pool design form: add and remove rows, number them as
// shown, and show the inputs that fit each row. Without this file the page
// still works.
(function () {
  "use strict";
  const root = document.querySelector("[data-formset]");
  if (!root) return;
  const prefix = root.getAttribute("data-formset");
  const total = root.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  // The formset takes this many rows, removed ones included...
  const maxForms = Number(root.querySelector("#id_" + prefix + "-MAX_NUM_FORMS").value);
  // ...and Cognito this many attributes: no use adding more.
  const maxRows = Math.min(Number(root.getAttribute("data-formset-max")) || maxForms, maxForms);
  const rows = root.querySelector("[data-formset-rows]");
  const template = root.querySelector("template[data-formset-empty]");
  const add = root.querySelector("[data-formset-add]");
  const limit = root.querySelector("[data-formset-limit]");
  const status = root.querySelector("[data-formset-status]");
  const field = (row, name) => row.querySelector("[name$='-" + name + "']");
  const shown = () => Array.from(rows.querySelectorAll("[data-schema-row]")).filter((row) => !row.hidden);
  // A row's first field, and always shown.
  const firstField = (row) => field(row, "kind");

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
    prefixLabel.textContent = field(row, "developer_only").checked ? "dev:custom:" : "custom:";
  }

  function enhance(row) {
    row.querySelector("[data-formset-remove]").classList.remove("d-none");
    row.querySelector("[data-no-js]").hidden = true;
    row.hidden = field(row, "DELETE").checked;
    sync(row);
  }

  // Number the rows shown ("Attribute 1", "Remove attribute 1"), and allow
  // adding one only below the limits; return the rows shown.
  function renumber() {
    const visible = shown();
    visible.forEach(function (row, index) {
      row.querySelectorAll("[data-row-number]").forEach(function (el) {
        el.textContent = String(index + 1);
      });
    });
    let note = "";
    if (visible.length >= maxRows) {
      note = "At most " + maxRows + " attributes: remove one to add another.";
    } else if (Number(total.value) >= maxForms) {
      note = "The form holds at most " + maxForms + " rows, removed ones included.";
    }
    add.disabled = note !== "";
    limit.textContent = note;
    limit.hidden = note === "";
    return visible;
  }

  function announce(message) {
    status.textContent = message;
  }

  function focus(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  add.addEventListener("click", function (event) {
    event.preventDefault();
    if (add.disabled) return;
    const html = template.innerHTML.replace(/__prefix__/g, total.value);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(Number(total.value) + 1);
    const row = rows.lastElementChild;
    enhance(row);
    const count = renumber().length;
    focus(firstField(row));
    announce("Attribute " + count + " added.");
  });
  root.addEventListener("click", function (event) {
    const button = event.target.closest("[data-formset-remove]");
    if (!button) return;
    const row = button.closest("[data-schema-row]");
    const before = shown();
    const position = before.indexOf(row);
    field(row, "DELETE").checked = true;
    row.hidden = true;
    const left = renumber().length;
    // The focus was on the button just hidden: give it to the row that takes
    // this one's place, else to "Add attribute row".
    const next = before[position + 1];
    const previous = before[position - 1];
    if (next) focus(firstField(next));
    else if (!add.disabled) focus(add);
    else focus(previous ? firstField(previous) : root);
    announce(
      "Attribute " + (position + 1) + " removed; " + left +
      (left === 1 ? " attribute" : " attributes") + " left."
    );
  });
  root.addEventListener("change", function (event) {
    const row = event.target.closest("[data-schema-row]");
    if (row) sync(row);
  });
  root.querySelectorAll("[data-schema-row]").forEach(enhance);
  renumber();
})();

  /* Swagger UI leaves the value controls of parameters without a name: give each the name of
     its parameter, whenever Swagger (re)draws them. */
  new MutationObserver(function () {
    document.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      row.querySelectorAll("select, input, textarea").forEach(function (control) {
        if (!control.getAttribute("aria-label") && !control.labels?.length) {
          control.setAttribute("aria-label", row.dataset.paramName + " (" + row.dataset.paramIn + " parameter)");
        }
      });
    });
    /* Code examples that scroll must be reachable by keyboard (WCAG 2.1.1): a named region
       in the Tab order. */
    document.querySelectorAll(".highlight-code > .microlight, pre.microlight").forEach(function (code) {
      if (!code.hasAttribute("tabindex")) {
        code.setAttribute("tabindex", "0");
        code.setAttribute("role", "region");
        code.setAttribute("aria-label", "Example");
      }
    });
    document.querySelectorAll(".response-control-media-type select, .content-type-wrapper select, .servers select").forEach(function (control) {
      if (!control.getAttribute("aria-label") && !control.labels?.length) control.setAttribute("aria-label", "Media type");
    });
  }).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });

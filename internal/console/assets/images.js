// Shows the image chosen in an upload form before it is sent; the form
// works without it. The preview is a blob: address of the chosen file,
// which never leaves the browser until the form is sent.
"use strict";
(function () {
  document.querySelectorAll("input[type=file][data-preview]").forEach(function (input) {
    var img = document.getElementById(input.dataset.preview);
    var url = null;
    input.addEventListener("change", function () {
      if (url) { URL.revokeObjectURL(url); url = null; }
      var file = input.files && input.files[0];
      if (!file) { img.hidden = true; img.removeAttribute("src"); return; }
      url = URL.createObjectURL(file);
      img.src = url;
      img.hidden = false;
    });
  });
})();

// terrain serve: the one script.  Search-as-you-type on the new study's
// page: the territory field asks /search?q=... (JSON) and lists the hits
// as radio buttons, built with textContent (no HTML from the server).
// Without JavaScript the same form works with its "Chercher" button.
'use strict';
(function () {
	var input = document.getElementById('q');
	var list = document.getElementById('hits');
	if (!input || !list)
		return;
	var timer = null, last = '';
	function show(hits) {
		while (list.firstChild)
			list.removeChild(list.firstChild);
		hits.forEach(function (h, i) {
			var li = document.createElement('li');
			var radio = document.createElement('input');
			radio.type = 'radio';
			radio.name = 'territory';
			radio.value = h.code;
			radio.id = 'hit' + i;
			if (i === 0)
				radio.checked = true;
			var label = document.createElement('label');
			label.htmlFor = radio.id;
			label.textContent = h.label;
			li.appendChild(radio);
			li.appendChild(document.createTextNode(' '));
			li.appendChild(label);
			list.appendChild(li);
		});
	}
	function ask() {
		var q = input.value.trim();
		if (q === last)
			return;
		last = q;
		if (q.length < 2) {
			show([]);
			return;
		}
		fetch('/search?q=' + encodeURIComponent(q), {credentials: 'same-origin'})
			.then(function (r) { return r.ok ? r.json() : []; })
			.then(function (hits) { if (q === last) show(hits); })
			.catch(function () {});
	}
	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(ask, 150);
	});
})();

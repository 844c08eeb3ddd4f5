// make browser-check: a whole study in terrain serve, as a student does it,
// in headless Chromium (Debian's chromium, driven by puppeteer-core pinned
// in package-lock.json).
//
//   node tests/browser/study.cjs TERRAIN OUTDIR ODTCHECK
//
// Starts `terrain serve --port 0` on a new workspace (OUTDIR/ws, with
// TERRAIN_DATE fixed and its own XDG folders), then: the home page; a new
// study, "Roubaix" typed in the search (the hits come as it is typed); the
// study's form with its references; the portrait (the indicators' table,
// every chart loaded); the note, "regenerate", and the ODT downloaded and
// opened with libzip (ODTCHECK, tests/browser/odtcheck.c); between the
// portrait and the note, the survey (an invented LimeSurvey-like export
// uploaded, a codebook error shown on the page and fixed) and the project
// page's budget.  A screenshot
// of each page goes to OUTDIR/NN-name.png.  Any console message, page
// error, failed request or HTTP error fails the test, and so does a server
// that does not stop cleanly on SIGTERM.
//
// Each step is one entry of `steps`: a later page adds its own steps.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [terrain, outdir, odtcheck] = process.argv.slice(2);
if (!terrain || !outdir || !odtcheck) {
	console.error('usage: node tests/browser/study.cjs TERRAIN OUTDIR ODTCHECK');
	process.exit(2);
}
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
fs.rmSync(outdir, { recursive: true, force: true });
fs.mkdirSync(outdir, { recursive: true });
const problems = [];
let shot = 0;

function fail(msg) {
	problems.push(msg);
	console.error('browser-check serve: ' + msg);
}

function check(cond, msg) {
	if (!cond)
		fail(msg);
	return cond;
}

// The server, on a free port; resolves with its address.
function startServer() {
	const env = Object.assign({}, process.env, {
		TERRAIN_DATE: '2026-12-01',
		XDG_DATA_HOME: path.join(outdir, 'xdg-data'),
		XDG_CACHE_HOME: path.join(outdir, 'xdg-cache'),
	});
	const srv = spawn(terrain, ['serve', '--port', '0', '--workspace', path.join(outdir, 'ws')],
		{ env, stdio: ['ignore', 'pipe', 'pipe'] });
	const log = fs.createWriteStream(path.join(outdir, 'serve.log'));
	srv.stderr.pipe(log);
	return new Promise((resolve, reject) => {
		let out = '';
		srv.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/open (http:\/\/\S+) in your browser/);
			if (m)
				resolve({ srv, url: m[1].replace(/\/$/, '') });
		});
		srv.on('exit', (code) => reject(new Error('terrain serve exited with ' + code)));
		setTimeout(() => reject(new Error('terrain serve printed no address')), 30000);
	});
}

async function screenshot(page, name, fullPage = true) {
	shot++;
	const file = path.join(outdir, String(shot).padStart(2, '0') + '-' + name + '.png');
	await page.screenshot({ path: file, fullPage });
}

// Every image of the page loaded.
async function imagesLoaded(page) {
	return page.evaluate(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
}

const study = {}; // what the steps learn: the study's path

const steps = [
	['home', async (page, base) => {
		await page.goto(base + '/', { waitUntil: 'networkidle0' });
		check(await page.$('a[href="/new"]'), 'home: no "Nouvelle étude" link');
		await screenshot(page, 'home');
	}],
	['search Roubaix', async (page, base) => {
		await Promise.all([page.waitForNavigation(), page.click('main a[href="/new"]')]);
		await page.type('#q', 'Roubaix', { delay: 40 });
		// the hits, from /search as the name is typed (terrain.js)
		await page.waitForFunction(() => {
			const l = document.querySelector('#hits label');
			return l && l.textContent.startsWith('Roubaix, commune (com:59512)');
		}, { timeout: 10000 });
		await screenshot(page, 'new-search');
		await Promise.all([page.waitForNavigation(), page.click('#hits ~ p button')]);
		const refs = await page.$eval('#references', (e) => e.value);
		check(refs === 'epci:200093201, ze:3218, dep:59, reg:32, fr',
			'new study: references pre-filled "' + refs + '"');
	}],
	['create', async (page) => {
		await page.type('#title', 'Diagnostic de Roubaix');
		await page.type('#author', 'Camille Martin');
		await screenshot(page, 'new-form');
		// the study is created, then run (the pipeline): the portrait follows
		await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click('main form button')]);
		const m = page.url().match(/\/study\/([a-z0-9-]+)\/portrait$/);
		if (check(m, 'create: not on the portrait: ' + page.url()))
			study.id = m[1];
	}],
	['portrait', async (page, base) => {
		await page.goto(base + '/study/' + study.id + '/portrait', { waitUntil: 'networkidle0' });
		const rows = await page.$$eval('table.indicators tbody tr', (r) => r.length);
		check(rows >= 20, 'portrait: ' + rows + ' indicators');
		const figures = await page.$$eval('figure img', (i) => i.map((x) => x.title));
		check(figures.length >= 4, 'portrait: ' + figures.length + ' charts');
		check(figures.every((t) => t.startsWith('Source')), 'portrait: a chart without its source');
		check(await imagesLoaded(page), 'portrait: an image did not load');
		check((await page.$eval('h1', (e) => e.textContent)) === 'Portrait : Roubaix', 'portrait: title');
		// the indicators' table within the page's white frame at 1200 px
		const over = await page.$eval('table.indicators', (t) =>
			t.getBoundingClientRect().right - t.closest('main').getBoundingClientRect().right);
		check(over <= 0, 'portrait: the indicators table is ' + over + ' px wider than the page');
		const zone = await page.$$eval('table.indicators thead th', (h) => h.map((x) => x.textContent));
		check(zone.includes("Zone d'emploi de Roubaix-Tourcoing"), 'portrait: the zone named ' + zone);
		await screenshot(page, 'portrait');
		await screenshot(page, 'portrait-top', false); // the README's (docs/serve_portrait.png)
	}],
	// the survey page: a LimeSurvey-like export (invented, labelled so in its
	// first line) uploaded; its drafted codebook shown; q2 (the age, drafted
	// as text because one answer reads "trente-deux") set to integer, the
	// problem shown with its line, column and value, linked to q2's row, then
	// fixed with a missing code
	['survey upload', async (page, base) => {
		await page.goto(base + '/study/' + study.id + '/survey', { waitUntil: 'networkidle0' });
		const input = await page.$('input[type=file][name=file]');
		await input.uploadFile(path.join(__dirname, 'enquete_limesurvey_inventee.csv'));
		await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click('#upload-survey')]);
		check(/\/survey\?saved=1#check$/.test(page.url()), 'survey upload: on ' + page.url());
		const summary = await page.$eval('#check-summary', (e) => e.textContent);
		check(summary === '60 répondants lus ; 0 problème.', 'survey upload: check "' + summary + '"');
		const vars = await page.$$eval('table.codebook tbody tr', (r) => r.map((x) => x.id));
		check(vars.includes('var-q2') && vars.includes('var-q4'), 'survey upload: codebook rows ' + vars);
		check(await imagesLoaded(page), 'survey upload: an image did not load');
		await screenshot(page, 'survey-upload');
	}],
	['survey codebook error', async (page) => {
		await page.select('#var-q2 select[name^="type."]', 'integer');
		await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click('#save-codebook')]);
		const summary = await page.$eval('#check-summary', (e) => e.textContent);
		check(summary === '60 répondants lus ; 1 problème.', 'codebook error: check "' + summary + '"');
		const pb = await page.$eval('ol.problems li', (e) => ({ text: e.textContent,
			href: e.querySelector('a').getAttribute('href') }));
		check(pb.href === '#var-q2' && pb.text.startsWith('ligne 19, colonne 4 : "trente-deux" is not a number'),
			'codebook error: problem ' + JSON.stringify(pb));
		await page.click('ol.problems li a'); // to q2's row
		check(page.url().endsWith('#var-q2'), 'codebook error: the link goes to ' + page.url());
		await screenshot(page, 'survey-codebook-error');
	}],
	['survey codebook fixed', async (page) => {
		await page.type('#var-q2 input[name^="missing."]', 'trente-deux');
		await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click('#save-codebook')]);
		const summary = await page.$eval('#check-summary', (e) => e.textContent);
		check(summary === '60 répondants lus ; 0 problème.', 'codebook fixed: check "' + summary + '"');
		check(!(await page.$('p.notice.error')), 'codebook fixed: a failed run shown');
		const results = await page.$eval('pre.results', (e) => e.textContent);
		check(/q2\s+mean/.test(results), 'codebook fixed: no mean of q2 in the results');
		check(await imagesLoaded(page), 'codebook fixed: an image did not load');
		await screenshot(page, 'survey-fixed');
	}],
	// the project page: the budget of an INVENTED ACI, every default shown
	// with its source, then computed (results, scenarios, sensitivity)
	['budget', async (page, base) => {
		await page.goto(base + '/study/' + study.id + '/project', { waitUntil: 'networkidle0' });
		const hint = await page.$eval('input[name="v|budget|smic_hourly"]',
			(e) => e.closest('.field').querySelector('small').textContent);
		check(hint.includes('12,02 €/h') && hint.includes('décret n° 2025-1228'),
			'budget: the SMIC default and its source "' + hint + '"');
		const fill = {
			structure: 'ACI', start_year: '2027', posts: '12, 14, 14', contract_hours: '26',
			occupancy: '90 %', supervisors_etp: '2', supervisor_cost: '40000',
			accompaniment_etp: '1', accompaniment_cost: '42000', training: '9000',
			depreciation: '6000', sales: '70000, 85000, 90000',
		};
		for (const [k, v] of Object.entries(fill)) {
			const sel = 'input[name="v|budget|' + k + '"]';
			await page.$eval(sel, (e) => { e.value = ''; });
			await page.type(sel, v);
		}
		await page.type('textarea[name="v|budget|operating"]', 'Locaux: 18000\nVéhicules: 12000');
		await screenshot(page, 'project-form');
		await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click('#save-project')]);
		check(/\/project\?saved=\d+$/.test(page.url()), 'budget: on ' + page.url());
		check(!(await page.$('p.notice.error')), 'budget: a failed run shown');
		for (const id of ['#budget-result', '#budget-charge', '#budget-scenario', '#budget-sensitivity'])
			check(await page.$(id), 'budget: no table ' + id);
		check(await imagesLoaded(page), 'budget: an image did not load');
		await screenshot(page, 'project');
	}],
	['note', async (page, base) => {
		await page.goto(base + '/study/' + study.id + '/note', { waitUntil: 'networkidle0' });
		await Promise.all([page.waitForNavigation({ timeout: 120000 }), page.click('main form button')]);
		check(page.url().endsWith('/study/' + study.id + '/note'), 'regenerate: back on ' + page.url());
		check(!(await page.$('p.message')), 'regenerate: a failure shown');
		const links = await page.$$eval('ul.downloads a', (a) => a.map((x) => x.textContent));
		for (const want of ['note.md', 'note.html', 'note.odt', 'tables.xlsx', 'manifest.json', 'charts.zip'])
			check(links.includes(want), 'note: no download ' + want);
		// the preview: the note in its frame, with its charts
		const frame = page.frames().find((f) => f.url().endsWith('/file/note.html'));
		if (check(frame, 'note: no preview')) {
			await frame.waitForSelector('h1');
			check((await frame.$eval('h1', (e) => e.textContent)) === 'Diagnostic de Roubaix', 'note: preview title');
		}
		await screenshot(page, 'note');
		// the ODT, as the link downloads it, opened with libzip
		const odt = await page.evaluate(async (href) => {
			const r = await fetch(href);
			const b = new Uint8Array(await r.arrayBuffer());
			let s = '';
			for (let i = 0; i < b.length; i++)
				s += String.fromCharCode(b[i]);
			return { status: r.status, type: r.headers.get('content-type'), data: btoa(s) };
		}, base + '/study/' + study.id + '/file/note.odt?download=1');
		check(odt.status === 200 && odt.type === 'application/vnd.oasis.opendocument.text',
			'note: ODT download ' + odt.status + ' ' + odt.type);
		const file = path.join(outdir, 'note.odt');
		fs.writeFileSync(file, Buffer.from(odt.data, 'base64'));
		try {
			process.stdout.write(execFileSync(odtcheck, [file]).toString());
		} catch (e) {
			fail('note: the ODT does not open with libzip: ' + (e.stderr || e.message));
		}
	}],
];

(async () => {
	const { srv, url } = await startServer();
	const browser = await puppeteer.launch({
		executablePath: chromium,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--disable-quic'],
	});
	const page = await browser.newPage();
	await page.setViewport({ width: 1200, height: 900 });
	page.on('console', (m) => fail('console ' + m.type() + ': ' + m.text() + ' (' + page.url() + ')'));
	page.on('pageerror', (e) => fail('page error: ' + e.message));
	page.on('requestfailed', (r) => fail('request failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
	page.on('response', (r) => {
		if (r.status() >= 400)
			fail('HTTP ' + r.status() + ': ' + r.url());
	});
	// the token-free loopback address the server printed
	for (const [name, fn] of steps) {
		try {
			await fn(page, url);
			console.log('browser-check serve: ' + name + ': ' + (problems.length ? 'problems so far' : 'ok'));
		} catch (e) {
			fail(name + ': ' + e.message);
			await screenshot(page, 'failed-' + name.replace(/\W+/g, '-')).catch(() => {});
			break;
		}
	}
	await browser.close();
	srv.removeAllListeners('exit');
	const stopped = new Promise((resolve) => srv.on('exit', (code, sig) => resolve([code, sig])));
	srv.kill('SIGTERM');
	const [code, sig] = await stopped;
	check(code === 0, 'terrain serve did not stop cleanly on SIGTERM: ' + (code === null ? sig : 'exit ' + code));
	if (problems.length) {
		console.error('browser-check serve: FAILED (' + problems.length + ' problems); screenshots in ' + outdir);
		process.exit(1);
	}
	console.log('browser-check serve: ok; screenshots in ' + outdir);
})().catch((e) => {
	console.error('browser-check serve: ' + e.stack);
	process.exit(1);
});

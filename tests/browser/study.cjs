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
// opened with libzip (ODTCHECK, tests/browser/odtcheck.c).  A screenshot
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
		await screenshot(page, 'portrait');
		await screenshot(page, 'portrait-top', false); // the README's (docs/serve_portrait.png)
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

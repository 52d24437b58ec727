import { describe, expect, it } from 'vitest';
import { compoundKind, firstLook } from './detect';

const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));
const utf16 = (text: string) => Array.from(text).flatMap((c) => [c.charCodeAt(0), 0]);
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

describe('what a file is, from its first bytes', () => {
	it('recognises the audio and video kinds on the list', () => {
		expect(firstLook(bytes([0, 0, 0, 32], 'ftypisom', [0, 0, 2, 0]))).toEqual({ ok: true, kind: 'mp4' });
		expect(firstLook(bytes([0, 0, 0, 20], 'ftypqt  ', [0, 0, 0, 0]))).toEqual({ ok: true, kind: 'mov' });
		expect(firstLook(bytes([0, 0, 0, 28], 'ftypM4A ', [0, 0, 0, 0]))).toEqual({ ok: true, kind: 'm4a' });
		expect(firstLook(bytes('RIFF', [36, 0, 0, 0], 'WAVEfmt '))).toEqual({ ok: true, kind: 'wav' });
		expect(firstLook(bytes('OggS', [0, 2, 0, 0]))).toEqual({ ok: true, kind: 'ogg' });
		expect(firstLook(bytes('ID3', [4, 0, 0, 0]))).toEqual({ ok: true, kind: 'mp3' });
		expect(firstLook(bytes([0xff, 0xfb, 0x90, 0x64]))).toEqual({ ok: true, kind: 'mp3' });
		expect(firstLook(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'))).toEqual({ ok: true, kind: 'webm' });
	});

	it('refuses, in words, a Matroska video, an AAC stream, a program, a script and a RAR archive', () => {
		expect(firstLook(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], 'matroska'))).toMatchObject({ ok: false, message: expect.stringMatching(/MKV/) });
		expect(firstLook(bytes([0xff, 0xf1, 0x50, 0x80]))).toMatchObject({ ok: false });
		expect(firstLook(bytes('MZ', [0x90, 0, 3, 0]))).toMatchObject({ ok: false, message: expect.stringMatching(/program/) });
		expect(firstLook(bytes('#!/bin/sh\nrm -rf /'))).toMatchObject({ ok: false, message: expect.stringMatching(/script/) });
		expect(firstLook(bytes('Rar!', [0x1a, 7, 0]))).toMatchObject({ ok: false, message: expect.stringMatching(/archive/) });
		expect(firstLook(bytes('<svg onload="alert(1)">'))).toMatchObject({ ok: false, message: expect.stringMatching(/not accepted/) });
	});

	it('tells a Word 97 document from an Excel workbook and refuses an installer', () => {
		expect(firstLook(bytes(CFB))).toEqual({ ok: true, kind: 'cfb' });
		expect(compoundKind(bytes(CFB, new Array(500).fill(0), utf16('WordDocument')))).toEqual({ ok: true, kind: 'doc' });
		expect(compoundKind(bytes(CFB, new Array(500).fill(0), utf16('Workbook')))).toEqual({ ok: true, kind: 'xls' });
		expect(compoundKind(bytes(CFB, new Array(500).fill(0), utf16('SummaryInformation')))).toMatchObject({ ok: false, message: expect.stringMatching(/installer/) });
	});
});

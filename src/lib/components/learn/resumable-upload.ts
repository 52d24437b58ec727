/**
 * Sending one file to the server in pieces, resumably (the core of tus 1.0, as the server speaks it:
 * src/lib/server/uploads/tus.ts). Each piece goes with its offset; a dropped connection is retried
 * after asking the server how much arrived (HEAD), a few times with growing pauses, then waits for
 * the learner to press Retry. Pause stops the piece in flight; Resume carries on from the server's
 * offset. A refusal comes back in the server's words.
 */
export type UploadPhase = 'starting' | 'sending' | 'paused' | 'retrying' | 'interrupted' | 'checking' | 'stored' | 'refused';

export interface UploadProgress {
	phase: UploadPhase;
	sent: number;
	total: number;
	/** The server's words for a refusal, or what happened to the connection. */
	message: string;
	/** Once stored: what was removed from it (e.g. "GPS location"). */
	metadataRemoved: string;
}

export interface UploadOptions {
	endpoint: string;
	/** Extra tus metadata (e.g. the evidence item it belongs to). */
	metadata: Record<string, string>;
	chunkBytes: number;
	onChange: (progress: UploadProgress) => void;
	/** Retries of a dropped piece before the learner is asked (default 4). */
	retries?: number;
}

const TUS = { 'Tus-Resumable': '1.0.0' };

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

class Dropped extends Error {}

export class ResumableUpload {
	private progress: UploadProgress;
	private location: string | null = null;
	private request: XMLHttpRequest | null = null;
	private running = false;
	private pausing = false;

	constructor(
		readonly file: File,
		private readonly options: UploadOptions
	) {
		this.progress = { phase: 'starting', sent: 0, total: file.size, message: '', metadataRemoved: '' };
	}

	private set(change: Partial<UploadProgress>): void {
		this.progress = { ...this.progress, ...change };
		this.options.onChange(this.progress);
	}

	/** Starts, or carries on after a pause or an interruption. */
	async start(): Promise<void> {
		if (this.running || this.progress.phase === 'stored' || this.progress.phase === 'refused') return;
		this.running = true;
		this.pausing = false;
		try {
			await this.run();
		} finally {
			this.running = false;
		}
	}

	pause(): void {
		if (!this.running) return;
		this.pausing = true;
		this.request?.abort();
		this.set({ phase: 'paused', message: '' });
	}

	/** The server's upload address once created (to delete it). */
	get address(): string | null {
		return this.location;
	}

	private async run(): Promise<void> {
		const retries = this.options.retries ?? 4;
		let failures = 0;
		// After a pause or a Retry, the server says where to carry on from.
		let sync = this.location !== null;
		while (!this.pausing) {
			try {
				if (!this.location) {
					this.set({ phase: 'starting', message: '' });
					if (!(await this.create())) return;
				} else if (failures > 0 || sync) {
					await this.resync();
					sync = false;
				}
				if (this.progress.sent >= this.progress.total) {
					await this.finish();
					return;
				}
				this.set({ phase: 'sending', message: '' });
				const outcome = await this.sendPiece();
				if (outcome === 'refused') return;
				failures = 0;
			} catch (error) {
				if (this.pausing) return;
				if (!(error instanceof Dropped) && !(error instanceof TypeError)) throw error;
				failures++;
				if (failures > retries) {
					this.set({ phase: 'interrupted', message: 'The connection dropped and the upload stopped. Check your connection, then choose Retry: it carries on from where it stopped.' });
					return;
				}
				this.set({ phase: 'retrying', message: 'The connection dropped. Trying again…' });
				await new Promise((resolve) => setTimeout(resolve, 400 * 2 ** (failures - 1)));
			}
		}
	}

	private async refusedBy(response: Response): Promise<void> {
		const body = (await response.json().catch(() => null)) as { message?: string } | null;
		this.set({ phase: 'refused', message: body?.message ?? `The server refused the file (${response.status}).` });
	}

	private async create(): Promise<boolean> {
		const metadata = Object.entries({ filename: this.file.name, ...this.options.metadata })
			.map(([key, value]) => `${key} ${base64(value)}`)
			.join(',');
		const response = await fetch(this.options.endpoint, {
			method: 'POST',
			headers: { ...TUS, 'Upload-Length': String(this.file.size), 'Upload-Metadata': metadata }
		});
		if (response.status !== 201) {
			await this.refusedBy(response);
			return false;
		}
		this.location = response.headers.get('Location');
		return this.location !== null;
	}

	/** Asks the server how much arrived. */
	private async resync(): Promise<void> {
		const response = await fetch(this.location!, { method: 'HEAD', headers: TUS, cache: 'no-store' });
		if (!response.ok) throw new Dropped();
		this.set({ sent: Number(response.headers.get('Upload-Offset') ?? this.progress.sent) });
	}

	private sendPiece(): Promise<'sent' | 'refused'> {
		const from = this.progress.sent;
		const piece = this.file.slice(from, Math.min(from + this.options.chunkBytes, this.progress.total));
		return new Promise((resolve, reject) => {
			const xhr = new XMLHttpRequest();
			this.request = xhr;
			xhr.open('PATCH', this.location!);
			xhr.setRequestHeader('Tus-Resumable', '1.0.0');
			xhr.setRequestHeader('Upload-Offset', String(from));
			xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
			xhr.upload.onprogress = (event) => this.set({ sent: Math.min(from + event.loaded, this.progress.total) });
			xhr.onerror = () => reject(new Dropped());
			xhr.onabort = () => reject(new Dropped());
			xhr.onload = () => {
				this.request = null;
				const offset = Number(xhr.getResponseHeader('Upload-Offset'));
				if (xhr.status === 204) {
					this.set({ sent: offset });
					resolve('sent');
				} else if (xhr.status === 409 || xhr.status >= 500) {
					// Out of step (another tab, or a piece the server had but we did not hear of): ask where it is.
					reject(new Dropped());
				} else {
					let message = `The server refused the file (${xhr.status}).`;
					try {
						message = (JSON.parse(xhr.responseText) as { message?: string }).message ?? message;
					} catch {
						// not JSON: the status says enough
					}
					this.set({ phase: 'refused', message });
					resolve('refused');
				}
			};
			xhr.send(piece);
		});
	}

	private async finish(): Promise<void> {
		this.set({ phase: 'checking', message: '' });
		const response = await fetch(this.location!, { headers: { ...TUS, Accept: 'application/json' }, cache: 'no-store' });
		if (!response.ok) throw new Dropped();
		const status = (await response.json()) as { state: string; refusal: string; metadataRemoved: string };
		if (status.state === 'stored') this.set({ phase: 'stored', metadataRemoved: status.metadataRemoved });
		else if (status.state === 'refused') this.set({ phase: 'refused', message: status.refusal });
		else throw new Dropped();
	}
}

/** apps/demo */
export declare const DEMO_DIR: string;
